package org.jnfsd.core.delegation;

import java.time.Instant;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.SetAttributes.TimeValue;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delegated timestamps (RFC 9754, "Proxying of Times"): the holder of a timestamps delegation
 * ({@link Delegation#timestamps}) reports the file's access and modify times, in a CB_GETATTR
 * reply or in SETATTR of time_deleg_access / time_deleg_modify, and the server keeps them, so
 * that another client's GETATTR shows them. A reported time not later than the file's own is
 * ignored: delegated times never move a file's time backwards (a late report of an old time,
 * e.g. a CB_GETATTR reply overtaken by the holder's SETATTR, cannot undo a newer one; the kernel
 * treats its delegated timestamps the same way).
 *
 * <p>Stateless.
 */
public final class DelegatedTimes {
    private static final Logger log = LoggerFactory.getLogger(DelegatedTimes.class);

    private DelegatedTimes() {}

    /** {@code reported} when it is later than {@code current} (or current is unknown), else null. */
    public static Instant newer(Instant reported, Instant current) {
        return reported != null && (current == null || reported.isAfter(current)) ? reported : null;
    }

    /**
     * A CB_GETATTR reply of a timestamps delegation's holder: the times it reported become the
     * file's when newer. When the holder also reports the file modified (change or size) and gave
     * no newer modify time, the modify time is set to now instead, as for a delegation without
     * timestamps, so the change attribute still advances. The answer carries the holder's size
     * when modified.
     */
    static Stat keepReported(FileHandle file, Stat st, VirtualFileSystem fs, boolean modified,
            GetattrCallback.HolderAttributes held) throws NfsException {
        Instant atime = newer(held.atime(), st.atime());
        Instant mtime = newer(held.mtime(), st.mtime());
        if (atime == null && mtime == null && !modified) {
            return st;
        }
        TimeValue m = mtime != null ? TimeValue.of(mtime) : modified ? TimeValue.SERVER_NOW : null;
        try {
            fs.setattr(file.inode(), new SetAttributes(null, null, null, null,
                    atime != null ? TimeValue.of(atime) : null, m));
            Stat now = fs.getattr(file.inode());
            log.debug("GETATTR of {}: the holder's times kept (atime {}, mtime {}), modified {}", file, atime, mtime,
                    modified);
            return modified ? GetattrConflict.withSize(now, held.size()) : now;
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }
}

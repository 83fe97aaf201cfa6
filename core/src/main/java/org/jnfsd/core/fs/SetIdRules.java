package org.jnfsd.core.fs;

import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;

/**
 * The set-user-id and set-group-id rules of a local Linux file system, which the server applies
 * itself (it creates and changes files with explicit owners and modes, often as root, so the
 * kernel below would not apply them for the NFS caller). Read from fs/inode.c
 * ({@code inode_init_owner}, {@code mode_strip_sgid}, {@code should_remove_suid}), fs/attr.c
 * ({@code setattr_copy}) and fs/open.c ({@code chown_common}), and knfsd's
 * {@code nfsd_sanitize_attrs}. "Privileged" is root here (CAP_FSETID, which knfsd keeps only for
 * uid 0).
 */
public final class SetIdRules {
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_IXGRP = 00010;

    private SetIdRules() {}

    /** The group of a new object in {@code dir}: the directory's when it is set-group-id, else the caller's. */
    public static int newObjectGid(Stat dir, Identity who) {
        return (dir.mode() & S_ISGID) != 0 ? dir.gid() : who.gid();
    }

    /**
     * The mode of a new object of {@code type} and group {@code gid} in {@code dir}: a directory
     * in a set-group-id directory is set-group-id itself; a non-directory keeps a requested
     * set-group-id bit (with group-execute) only when the caller is in its group or root.
     */
    public static int newObjectMode(int mode, FileType type, Stat dir, int gid, Identity who) {
        if (type == FileType.DIRECTORY) {
            return (dir.mode() & S_ISGID) != 0 ? mode | S_ISGID : mode;
        }
        if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && !who.isRoot() && !who.inGroup(gid)) {
            return mode & ~S_ISGID;
        }
        return mode;
    }

    /**
     * The mode a regular file must take after its data or size was changed by {@code who}, or
     * null when it keeps its own: set-user-id always goes, set-group-id only with group-execute
     * (without it, it is a locking mark), unless the writer is root.
     */
    public static Integer modeAfterWrite(Stat st, Identity who) {
        if (st.type() != FileType.REGULAR || who.isRoot()) {
            return null;
        }
        int mode = st.mode() & 07777;
        int kept = killSetIds(mode);
        return kept == mode ? null : kept;
    }

    /**
     * The attributes of a SETATTR as a local file system applies them: an owner or group change of
     * a non-directory clears set-user-id and set-group-id (the latter with group-execute), for
     * root too; a mode set by someone neither in the (new) group nor root loses set-group-id.
     */
    public static SetAttributes forSetattr(Stat st, SetAttributes a, Identity who) {
        Integer mode = a.mode();
        if (mode != null) {
            int gid = a.gid() != null ? a.gid() : st.gid();
            if (!who.isRoot() && !who.inGroup(gid)) {
                mode = mode & ~S_ISGID;
            }
        }
        if ((a.uid() != null || a.gid() != null) && st.type() != FileType.DIRECTORY) {
            int base = mode != null ? mode : st.mode() & 07777;
            int killed = killSetIds(base);
            if (mode != null || killed != base) {
                mode = killed;
            }
        }
        return mode == null ? a : a.withMode(mode);
    }

    private static int killSetIds(int mode) {
        int out = mode & ~S_ISUID;
        if ((mode & S_IXGRP) != 0) {
            out &= ~S_ISGID;
        }
        return out;
    }
}

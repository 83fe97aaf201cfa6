package org.jnfsd.core.ops.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockOutcome;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.lock.LockDenied;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks and conversions shared by LOCK, LOCKT and LOCKU. */
final class LockChecks {
    private static final Logger log = LoggerFactory.getLogger(LockChecks.class);

    private LockChecks() {}

    /** The current file, which must be a regular file: a directory is ISDIR, anything else INVAL. */
    static FileHandle regularFile(CompoundContext ctx) throws NfsException {
        FileHandle fh = ctx.currentFh();
        Stat st;
        try {
            st = ctx.currentFs().getattr(fh.inode());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        if (st.type() == FileType.DIRECTORY) {
            throw new NfsException(NfsStatus.NFS4ERR_ISDIR, "lock on a directory");
        }
        if (st.type() != FileType.REGULAR) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "lock on a " + st.type());
        }
        return fh;
    }

    /** The wire form of a denial. */
    static LockDenied toWire(LockOutcome.Denied d) {
        return new LockDenied(d.range().first(), d.range().length(), d.write() ? LockType.WRITE_LT : LockType.READ_LT,
                d.owner());
    }

    /**
     * The result of a LOCK or LOCKT that failed by exception. NFS4ERR_DENIED must come with its
     * body, which only execute can build, so a thrown one is a server bug: SERVERFAULT, logged.
     */
    static OpResult failure(Opcode op, NfsStatus status, Object args) {
        if (status == NfsStatus.NFS4ERR_DENIED) {
            log.error("{} threw NFS4ERR_DENIED for {}; denials must be returned with their body", op, args);
            return StatusResult.of(NfsStatus.NFS4ERR_SERVERFAULT);
        }
        return StatusResult.of(status);
    }
}

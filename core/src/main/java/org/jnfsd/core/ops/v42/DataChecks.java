package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.ops.io.IoChecks;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VirtualFileSystem;

/** Checks shared by this area's operations: ranges, and the source/destination pair of CLONE and COPY. */
final class DataChecks {
    private DataChecks() {}

    /**
     * ALLOCATE and DEALLOCATE: a zero length, or an offset above 2^63, is NFS4ERR_INVAL; a range
     * ending past the largest file is NFS4ERR_FBIG.
     */
    static void checkSpaceRange(long offset, long length, VirtualFileSystem fs) throws NfsException {
        if (length == 0 || offset < 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "range " + Long.toUnsignedString(offset) + "+"
                    + Long.toUnsignedString(length));
        }
        if (length < 0 || offset + length < 0 || offset + length > fs.maxFileSize()) {
            throw new NfsException(NfsStatus.NFS4ERR_FBIG, "range " + offset + "+" + Long.toUnsignedString(length)
                    + " past the largest file");
        }
    }

    /** The current file for a space operation: regular, writable export, an open with WRITE access. */
    static Stat writableTarget(CompoundContext ctx, StateId rawStateId, String op) throws NfsException {
        FileHandle fh = ctx.currentFh();
        StateId stateId = ctx.resolveStateId(rawStateId);
        Export export = ctx.currentExport();
        Stat st = IoChecks.regularForIo(export.fs(), fh.inode());
        if (ctx.accessTo(export).readOnly()) {
            throw new NfsException(NfsStatus.NFS4ERR_ROFS, op + " on a read-only export");
        }
        IoChecks.checkSpaceIo(ctx, stateId, fh, st);
        return st;
    }

    /** Whether [a, a+len) and [b, b+len) overlap. */
    static boolean overlap(long a, long b, long len) {
        return a < b + len && b < a + len;
    }

    /**
     * The source (saved FH) and destination (current FH) of CLONE and COPY, checked: both regular,
     * on one export (NFS4ERR_XDEV), destination export writable, the source readable and the
     * destination writable through the given stateids.
     */
    record Pair(Export export, FileHandle src, Stat srcStat, FileHandle dst, Stat dstStat) {
        boolean sameFile() {
            return src.equals(dst);
        }
    }

    static Pair pair(CompoundContext ctx, StateId rawSrc, StateId rawDst, String op) throws NfsException {
        FileHandle src = ctx.savedFh();
        FileHandle dst = ctx.currentFh();
        StateId srcStateId = ctx.resolveStateId(rawSrc);
        StateId dstStateId = ctx.resolveStateId(rawDst);
        if (src.exportId() != dst.exportId()) {
            throw new NfsException(NfsStatus.NFS4ERR_XDEV, op + " across exports");
        }
        Export export = ctx.currentExport();
        Stat srcStat = IoChecks.regularForIo(export.fs(), src.inode());
        Stat dstStat = IoChecks.regularForIo(export.fs(), dst.inode());
        if (ctx.accessTo(export).readOnly()) {
            throw new NfsException(NfsStatus.NFS4ERR_ROFS, op + " to a read-only export");
        }
        IoChecks.checkIo(ctx, srcStateId, src, srcStat, false);
        IoChecks.checkIo(ctx, dstStateId, dst, dstStat, true);
        return new Pair(export, src, srcStat, dst, dstStat);
    }
}

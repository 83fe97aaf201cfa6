package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.ops.io.IoChecks;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.protocol.nfs4.v42.CloneArgs;

/**
 * CLONE (RFC 7862 §15.13): saved FH is the source, current FH the destination, on one export
 * (NFS4ERR_XDEV), the source readable and the destination writable through their stateids. A
 * backend without clones (clone_blksize 0, or a file system without reflink) answers
 * NFS4ERR_NOTSUPP. Offsets must be multiples of clone_blksize, and so must the count unless the
 * range ends at the source's end of file; a count of 0 means "to the source's end of file"; a range
 * past the source's end, or overlapping ranges in one file, are NFS4ERR_INVAL. A CLONE by anyone
 * but root clears the destination's set-id bits first, as a WRITE does.
 */
final class Clone implements Operation<CloneArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.CLONE;
    }

    @Override
    public CloneArgs decode(XdrDecoder in) {
        return CloneArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, CloneArgs args) throws NfsException {
        DataChecks.Pair p = DataChecks.pair(ctx, args.srcStateId(), args.dstStateId(), "CLONE");
        VirtualFileSystem fs = p.export().fs();
        int blk = fs.cloneBlockSize();
        if (blk == 0) {
            throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP, "the export cannot clone");
        }
        long srcSize = p.srcStat().size();
        long srcOff = args.srcOffset();
        long dstOff = args.dstOffset();
        if (srcOff < 0 || dstOff < 0 || srcOff > srcSize) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "CLONE offsets past the source's end");
        }
        long count = args.count() == 0 ? srcSize - srcOff : args.count();
        if (count < 0 || srcOff + count > srcSize) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "CLONE range past the source's end");
        }
        if (srcOff % blk != 0 || dstOff % blk != 0 || (count % blk != 0 && srcOff + count != srcSize)) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "CLONE range not aligned to " + blk);
        }
        if (dstOff + count < 0 || dstOff + count > fs.maxFileSize()) {
            throw new NfsException(NfsStatus.NFS4ERR_FBIG, "CLONE past the largest file");
        }
        if (p.sameFile() && DataChecks.overlap(srcOff, dstOff, count)) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "CLONE of overlapping ranges in one file");
        }
        // FICLONERANGE clears the destination's set-id bits before it shares the extents
        // (file_modified in Linux's generic_remap_file_range_prep), for any writer but root
        IoChecks.clearSetIdsAfterWrite(fs, p.dst(), p.dstStat(), ctx);
        try {
            fs.clone(p.src().inode(), srcOff, p.dst().inode(), dstOff, count);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return StatusResult.OK;
    }
}

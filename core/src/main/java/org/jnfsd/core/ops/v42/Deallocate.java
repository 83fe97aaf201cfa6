package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.ops.io.IoChecks;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.protocol.nfs4.v42.DeallocateArgs;

/**
 * DEALLOCATE (RFC 7862 §15.4): punches a hole (the range then reads as zeros; the size does not
 * change, and a range past end of file is fine), through an open with WRITE access. A zero length
 * is NFS4ERR_INVAL.
 */
final class Deallocate implements Operation<DeallocateArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.DEALLOCATE;
    }

    @Override
    public DeallocateArgs decode(XdrDecoder in) {
        return DeallocateArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, DeallocateArgs args) throws NfsException {
        Stat st = DataChecks.writableTarget(ctx, args.stateId(), "DEALLOCATE");
        VirtualFileSystem fs = ctx.currentFs();
        DataChecks.checkSpaceRange(args.offset(), args.length(), fs);
        try {
            fs.deallocate(ctx.currentFh().inode(), args.offset(), args.length());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        // fallocate(2) by anyone but root clears set-id bits (file_modified), as a WRITE does
        IoChecks.clearSetIdsAfterWrite(fs, ctx.currentFh(), st, ctx);
        return StatusResult.OK;
    }
}

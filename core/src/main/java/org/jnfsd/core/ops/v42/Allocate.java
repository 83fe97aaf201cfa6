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
import org.jnfsd.protocol.nfs4.v42.AllocateArgs;

/**
 * ALLOCATE (RFC 7862 §15.1): reserves space for the range (the file grows to cover it), through an
 * open with WRITE access. A zero length is NFS4ERR_INVAL; a backend that cannot reserve space
 * answers NFS4ERR_NOTSUPP, one out of space NFS4ERR_NOSPC.
 */
final class Allocate implements Operation<AllocateArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.ALLOCATE;
    }

    @Override
    public AllocateArgs decode(XdrDecoder in) {
        return AllocateArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, AllocateArgs args) throws NfsException {
        Stat st = DataChecks.writableTarget(ctx, args.stateId(), "ALLOCATE");
        VirtualFileSystem fs = ctx.currentFs();
        DataChecks.checkSpaceRange(args.offset(), args.length(), fs);
        try {
            fs.allocate(ctx.currentFh().inode(), args.offset(), args.length());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        // fallocate(2) by anyone but root clears set-id bits (file_modified), as a WRITE does
        IoChecks.clearSetIdsAfterWrite(fs, ctx.currentFh(), st, ctx);
        return StatusResult.OK;
    }
}

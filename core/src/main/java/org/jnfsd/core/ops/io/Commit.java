package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.CommitResult;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * COMMIT (RFC 8881 §18.3): makes the file's unstable writes durable (the whole file, whatever the
 * range) and answers the server's write verifier. An offset + count beyond 2^64 is NFS4ERR_INVAL.
 */
final class Commit implements Operation<CommitArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.COMMIT;
    }

    @Override
    public CommitArgs decode(XdrDecoder in) {
        return CommitArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, CommitArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        VirtualFileSystem fs = ctx.currentFs();
        IoChecks.regularForIo(fs, fh.inode());
        if (Long.compareUnsigned(args.offset() + args.count(), args.offset()) < 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "COMMIT range beyond 2^64");
        }
        try {
            fs.commit(fh.inode());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return new CommitResult(new Verifier(ctx.server().writeVerifier()));
    }
}

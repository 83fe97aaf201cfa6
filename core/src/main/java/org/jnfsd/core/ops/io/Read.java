package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * READ (RFC 8881 §18.22): through any open of the file (READ or WRITE access: the Linux client
 * reads pages it partly writes through write-only opens), or a special stateid with a permission
 * check. The count is capped at the configured maximum; the data is read into the reply buffer by
 * {@link ReadReply}.
 */
final class Read implements Operation<ReadArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.READ;
    }

    @Override
    public ReadArgs decode(XdrDecoder in) {
        return ReadArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ReadArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        StateId stateId = ctx.resolveStateId(args.stateId());
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = IoChecks.regularForIo(fs, fh.inode());
        IoChecks.checkIo(ctx, stateId, fh, st, false);
        if (args.offset() < 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "READ offset above 2^63");
        }
        int count = (int) Math.min(args.count(), ctx.server().config().maxRead());
        ctx.reserveReply(count);
        return new ReadReply(fs, fh.inode(), args.offset(), count, ctx.server().counters());
    }
}

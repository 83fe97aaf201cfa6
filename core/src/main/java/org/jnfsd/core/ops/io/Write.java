package org.jnfsd.core.ops.io;

import io.netty.buffer.ByteBuf;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;

import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * WRITE (RFC 8881 §18.32): needs an open with WRITE access (NFS4ERR_OPENMODE), or the anonymous
 * stateid with write permission and no deny in the way. The data, a slice of the request buffer,
 * goes to the backend as NIO views without copying: one, or one per piece when the record was
 * gathered from several socket reads. Writes the whole payload at the requested
 * stability and answers that stability as committed.
 */
final class Write implements Operation<WriteArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.WRITE;
    }

    @Override
    public WriteArgs decode(XdrDecoder in) {
        return WriteArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, WriteArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        StateId stateId = ctx.resolveStateId(args.stateId());
        Export export = ctx.currentExport();
        VirtualFileSystem fs = export.fs();
        Stat st = IoChecks.regularForIo(fs, fh.inode());
        if (ctx.accessTo(export).readOnly()) {
            throw new NfsException(NfsStatus.NFS4ERR_ROFS, "WRITE on a read-only export");
        }
        IoChecks.checkIo(ctx, stateId, fh, st, true);
        ByteBuf data = args.data();
        int count = data.readableBytes();
        if (count > ctx.server().config().maxWrite()) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL,
                    "WRITE of " + count + " bytes, limit " + ctx.server().config().maxWrite());
        }
        long offset = args.offset();
        if (offset < 0 || offset + count < 0 || offset + count > fs.maxFileSize()) {
            throw new NfsException(NfsStatus.NFS4ERR_FBIG,
                    "WRITE up to " + Long.toUnsignedString(offset) + "+" + count + " beyond the largest file");
        }
        try {
            if (data.nioBufferCount() == 1) {
                fs.write(fh.inode(), offset, data.nioBuffer(), stability(args.stable()));
            } else {
                fs.write(fh.inode(), offset, data.nioBuffers(), stability(args.stable()));
            }
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        IoChecks.clearSetIdsAfterWrite(fs, fh, st, ctx);
        ctx.server().counters().add(ServerEvent.BYTES_WRITTEN, count);
        return new WriteResult(count, args.stable(), new Verifier(ctx.server().writeVerifier()));
    }

    static Stability stability(StableHow how) {
        return switch (how) {
            case UNSTABLE4 -> Stability.UNSTABLE;
            case DATA_SYNC4 -> Stability.DATA_SYNC;
            case FILE_SYNC4 -> Stability.FILE_SYNC;
        };
    }
}

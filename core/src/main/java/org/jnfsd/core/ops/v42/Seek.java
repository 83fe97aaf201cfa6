package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.ops.io.IoChecks;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.protocol.nfs4.v42.DataContent;
import org.jnfsd.protocol.nfs4.v42.SeekArgs;
import org.jnfsd.protocol.nfs4.v42.SeekResult;
import org.jnfsd.vfs.SeekWhat;

/**
 * SEEK (RFC 7862 §15.11): the next data or hole at or after the offset, through any open of the
 * file (or a special stateid with read permission). An offset at or past end of file is
 * NFS4ERR_NXIO, and so is a DATA seek with no data after the offset (as knfsd, and lseek(2), answer);
 * every file has a hole at its end, reported with sr_eof.
 */
final class Seek implements Operation<SeekArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SEEK;
    }

    @Override
    public SeekArgs decode(XdrDecoder in) {
        return SeekArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SeekArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        StateId stateId = ctx.resolveStateId(args.stateId());
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = IoChecks.regularForIo(fs, fh.inode());
        IoChecks.checkIo(ctx, stateId, fh, st, false);
        if (args.offset() < 0) {
            throw new NfsException(NfsStatus.NFS4ERR_NXIO, "SEEK offset above 2^63");
        }
        try {
            var r = fs.seek(fh.inode(), args.offset(), args.what() == DataContent.DATA ? SeekWhat.DATA : SeekWhat.HOLE);
            return new SeekResult(r.eof(), r.offset());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }
}

package org.jnfsd.core.ops.v42;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.jnfsd.protocol.nfs4.v42.ReadPlusArgs;
import org.jnfsd.protocol.nfs4.v42.ReadPlusResult;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SeekWhat;
import org.jnfsd.vfs.VfsError;

/**
 * READ_PLUS (RFC 7862 §15.10): like READ (any open, or a special stateid with read permission;
 * the count capped at the configured maximum), but the holes the backend reports come back as
 * hole segments instead of zeros. The segments cover the range from the offset up to the count or
 * end of file, in order, without gaps; rpr_eof when they reach end of file.
 */
final class ReadPlus implements Operation<ReadPlusArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.READ_PLUS;
    }

    @Override
    public ReadPlusArgs decode(XdrDecoder in) {
        return ReadPlusArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ReadPlusArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        StateId stateId = ctx.resolveStateId(args.stateId());
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = IoChecks.regularForIo(fs, fh.inode());
        IoChecks.checkIo(ctx, stateId, fh, st, false);
        if (args.offset() < 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "READ_PLUS offset above 2^63");
        }
        int count = (int) Math.min(args.count(), ctx.server().config().maxRead());
        ctx.reserveReply(count);
        try {
            return segments(fs, fh.inode(), args.offset(), count, st.size());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /** Alternating seeks for data and holes; each round advances by at least one byte or stops. */
    private static ReadPlusResult segments(VirtualFileSystem fs, Inode file, long offset, int count, long size)
            throws VfsException {
        List<ReadPlusResult.Segment> out = new ArrayList<>();
        long end = Math.min(size, offset + count);
        long pos = offset;
        boolean eof = offset >= size;
        while (pos < end) {
            long dataAt = dataAt(fs, file, pos, size);
            if (dataAt > pos) {
                long holeEnd = Math.min(dataAt, end);
                out.add(new ReadPlusResult.Hole(pos, holeEnd - pos));
                pos = holeEnd;
                continue;
            }
            long holeAt = fs.seek(file, pos, SeekWhat.HOLE).offset();
            long dataEnd = Math.min(Math.max(holeAt, pos + 1), end);
            ByteBuffer buf = ByteBuffer.allocate((int) (dataEnd - pos));
            boolean hitEof = fs.read(file, pos, buf);
            if (buf.position() > 0) {
                out.add(new ReadPlusResult.Data(pos, Arrays.copyOf(buf.array(), buf.position())));
            }
            pos += buf.position();
            if (hitEof && buf.hasRemaining()) {
                eof = true; // the file shrank meanwhile
                break;
            }
        }
        return new ReadPlusResult(eof || pos >= size, out);
    }

    /** Where the next data starts at or after {@code pos}; {@code size} when only a hole follows. */
    private static long dataAt(VirtualFileSystem fs, Inode file, long pos, long size) throws VfsException {
        try {
            return fs.seek(file, pos, SeekWhat.DATA).offset();
        } catch (VfsException e) {
            if (e.error() == VfsError.NXIO) {
                return size;
            }
            throw e;
        }
    }
}

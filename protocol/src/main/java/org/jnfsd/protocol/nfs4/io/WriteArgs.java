package org.jnfsd.protocol.nfs4.io;

import io.netty.buffer.ByteBuf;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * WRITE4args.
 *
 * @param offset unsigned 64-bit on the wire; negative here means above 2^63
 * @param data the bytes to write. Decoded, it is a slice of the request buffer: not retained, valid
 *     only until the COMPOUND ends, never released by its user. For encoding, the caller keeps
 *     ownership; {@link #encode} reads it without changing its indices.
 */
public record WriteArgs(StateId stateId, long offset, StableHow stable, ByteBuf data) implements OpArgs {
    /** Largest WRITE payload decoded; the operation enforces the configured, smaller, limit. */
    public static final int MAX_DATA = 64 * 1024 * 1024;

    public static WriteArgs decode(XdrDecoder in) {
        StateId s = StateId.decode(in);
        long offset = in.readLong();
        StableHow stable = StableHow.fromCode(in.readInt());
        return new WriteArgs(s, offset, stable, in.readOpaqueSlice(MAX_DATA));
    }

    @Override
    public Opcode opcode() {
        return Opcode.WRITE;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        out.writeLong(offset).writeInt(stable.code()).writeOpaque(data);
    }
}

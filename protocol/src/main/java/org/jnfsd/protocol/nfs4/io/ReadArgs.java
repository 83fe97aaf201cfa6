package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * READ4args.
 *
 * @param offset unsigned 64-bit on the wire; negative here means above 2^63
 * @param count unsigned 32-bit on the wire, widened
 */
public record ReadArgs(StateId stateId, long offset, long count) implements OpArgs {
    public static ReadArgs decode(XdrDecoder in) {
        StateId s = StateId.decode(in);
        long offset = in.readLong();
        return new ReadArgs(s, offset, in.readUnsignedInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.READ;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        out.writeLong(offset).writeInt((int) count);
    }
}

package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** READ_PLUS4args; {@code count} is unsigned 32-bit on the wire, widened. */
public record ReadPlusArgs(StateId stateId, long offset, long count) implements OpArgs {
    public static ReadPlusArgs decode(XdrDecoder in) {
        return new ReadPlusArgs(StateId.decode(in), in.readLong(), in.readUnsignedInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.READ_PLUS;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        out.writeLong(offset).writeInt((int) count);
    }
}

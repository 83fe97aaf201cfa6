package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SEQUENCE4args (RFC 8881 §18.46). */
public record SequenceArgs(SessionId sessionId, int sequenceId, int slotId, int highestSlotId, boolean cacheThis)
        implements OpArgs {

    @Override
    public Opcode opcode() {
        return Opcode.SEQUENCE;
    }

    public static SequenceArgs decode(XdrDecoder in) {
        return new SequenceArgs(SessionId.decode(in), in.readInt(), in.readInt(), in.readInt(), in.readBool());
    }

    @Override
    public void encode(XdrEncoder out) {
        sessionId.encode(out);
        out.writeInt(sequenceId).writeInt(slotId).writeInt(highestSlotId).writeBool(cacheThis);
    }
}

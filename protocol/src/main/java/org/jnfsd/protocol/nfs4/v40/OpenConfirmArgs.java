package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** OPEN_CONFIRM4args (RFC 7530 §16.18); the OK result is a stateid ({@code io.StateIdResult}). */
public record OpenConfirmArgs(StateId openStateId, int seqid) implements OpArgs {
    public static OpenConfirmArgs decode(XdrDecoder in) {
        return new OpenConfirmArgs(StateId.decode(in), in.readInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.OPEN_CONFIRM;
    }

    @Override
    public void encode(XdrEncoder out) {
        openStateId.encode(out);
        out.writeInt(seqid);
    }
}

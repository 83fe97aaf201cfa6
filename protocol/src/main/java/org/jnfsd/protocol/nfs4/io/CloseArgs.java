package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CLOSE4args; the result is a {@link StateIdResult}. */
public record CloseArgs(int seqid, StateId openStateId) implements OpArgs {
    public static CloseArgs decode(XdrDecoder in) {
        int seqid = in.readInt();
        return new CloseArgs(seqid, StateId.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.CLOSE;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(seqid);
        openStateId.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SETATTR4args. */
public record SetattrArgs(StateId stateId, Fattr4 attrs) implements OpArgs {
    public static SetattrArgs decode(XdrDecoder in) {
        StateId s = StateId.decode(in);
        return new SetattrArgs(s, Fattr4.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SETATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        attrs.encode(out);
    }
}

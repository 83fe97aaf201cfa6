package org.jnfsd.protocol.nfs4.delegation;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** DELEGRETURN4args (RFC 8881 §18.6); the result is status only ({@code StatusResult}). */
public record DelegreturnArgs(StateId stateId) implements OpArgs {
    public static DelegreturnArgs decode(XdrDecoder in) {
        return new DelegreturnArgs(StateId.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.DELEGRETURN;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** DESTROY_SESSION4args (RFC 8881 §18.37); the result is status only. */
public record DestroySessionArgs(SessionId sessionId) implements OpArgs {
    @Override
    public Opcode opcode() {
        return Opcode.DESTROY_SESSION;
    }

    public static DestroySessionArgs decode(XdrDecoder in) {
        return new DestroySessionArgs(SessionId.decode(in));
    }

    @Override
    public void encode(XdrEncoder out) {
        sessionId.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** DESTROY_CLIENTID4args (RFC 8881 §18.50); the result is status only. */
public record DestroyClientidArgs(long clientId) implements OpArgs {
    @Override
    public Opcode opcode() {
        return Opcode.DESTROY_CLIENTID;
    }

    public static DestroyClientidArgs decode(XdrDecoder in) {
        return new DestroyClientidArgs(in.readLong());
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(clientId);
    }
}

package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** RENEW4args (RFC 7530 §16.29); the result is a status. */
public record RenewArgs(long clientId) implements OpArgs {
    public static RenewArgs decode(XdrDecoder in) {
        return new RenewArgs(in.readLong());
    }

    @Override
    public Opcode opcode() {
        return Opcode.RENEW;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(clientId);
    }
}

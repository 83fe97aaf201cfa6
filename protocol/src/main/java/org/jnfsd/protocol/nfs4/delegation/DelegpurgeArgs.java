package org.jnfsd.protocol.nfs4.delegation;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** DELEGPURGE4args (RFC 7530 §16.8): the client whose reclaimable delegations are to be purged; the result is a status. */
public record DelegpurgeArgs(long clientId) implements OpArgs {
    public static DelegpurgeArgs decode(XdrDecoder in) {
        return new DelegpurgeArgs(in.readLong());
    }

    @Override
    public Opcode opcode() {
        return Opcode.DELEGPURGE;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(clientId);
    }
}

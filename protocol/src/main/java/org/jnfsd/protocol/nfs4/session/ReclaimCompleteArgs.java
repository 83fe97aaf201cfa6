package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** RECLAIM_COMPLETE4args (RFC 8881 §18.51); the result is status only. */
public record ReclaimCompleteArgs(boolean oneFs) implements OpArgs {
    @Override
    public Opcode opcode() {
        return Opcode.RECLAIM_COMPLETE;
    }

    public static ReclaimCompleteArgs decode(XdrDecoder in) {
        return new ReclaimCompleteArgs(in.readBool());
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeBool(oneFs);
    }
}

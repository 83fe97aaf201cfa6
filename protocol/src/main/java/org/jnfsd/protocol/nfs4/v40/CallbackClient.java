package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** cb_client4 (RFC 7530 §16.33.1): the callback program and where the client serves it. */
public record CallbackClient(int program, NetAddr location) {
    public static CallbackClient decode(XdrDecoder in) {
        return new CallbackClient(in.readInt(), NetAddr.decode(in));
    }

    public void encode(XdrEncoder out) {
        out.writeInt(program);
        location.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** VERIFY4args and NVERIFY4args (the same body): the attributes to compare. */
public record VerifyArgs(Opcode opcode, Fattr4 attrs) implements OpArgs {
    public static VerifyArgs decodeVerify(XdrDecoder in) {
        return new VerifyArgs(Opcode.VERIFY, Fattr4.decode(in));
    }

    public static VerifyArgs decodeNverify(XdrDecoder in) {
        return new VerifyArgs(Opcode.NVERIFY, Fattr4.decode(in));
    }

    @Override
    public void encode(XdrEncoder out) {
        attrs.encode(out);
    }
}

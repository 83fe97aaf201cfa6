package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_GETATTR4res: the attributes (still encoded) when the status is OK, else null. */
public record CbGetattrResult(NfsStatus status, Fattr4 attributes) implements CbResult {
    public static CbGetattrResult decode(XdrDecoder in) {
        NfsStatus st = NfsStatus.fromCode(in.readInt());
        return new CbGetattrResult(st, st.isOk() ? Fattr4.decode(in) : null);
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_GETATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(status.code());
        if (status.isOk()) {
            attributes.encode(out);
        }
    }
}

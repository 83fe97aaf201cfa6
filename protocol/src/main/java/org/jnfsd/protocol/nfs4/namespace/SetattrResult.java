package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SETATTR4res: the status and, on success and failure alike, the bitmap of attributes set. */
public record SetattrResult(NfsStatus status, int[] attrsSet) implements OpResult {
    public SetattrResult {
        attrsSet = attrsSet.clone();
    }

    @Override
    public int[] attrsSet() {
        return attrsSet.clone();
    }

    public static SetattrResult failed(NfsStatus status) {
        return new SetattrResult(status, new int[0]);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(status.code());
        out.writeBitmap(attrsSet);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        return new SetattrResult(s, in.readBitmap(Fattr4.MAX_MASK_WORDS));
    }
}

package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CREATE4resok: the parent directory's change_info and the attributes applied. */
public record CreateResult(ChangeInfo cinfo, int[] attrSet) implements OpResult {
    public CreateResult {
        attrSet = attrSet.clone();
    }

    @Override
    public int[] attrSet() {
        return attrSet.clone();
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        cinfo.encode(out);
        out.writeBitmap(attrSet);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        if (!s.isOk()) {
            return StatusResult.of(s);
        }
        ChangeInfo c = ChangeInfo.decode(in);
        return new CreateResult(c, in.readBitmap(Fattr4.MAX_MASK_WORDS));
    }
}

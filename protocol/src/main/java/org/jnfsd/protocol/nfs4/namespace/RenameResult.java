package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** RENAME4resok: change_info of the source and of the target directory. */
public record RenameResult(ChangeInfo source, ChangeInfo target) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        source.encode(out);
        target.encode(out);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        if (!s.isOk()) {
            return StatusResult.of(s);
        }
        ChangeInfo src = ChangeInfo.decode(in);
        return new RenameResult(src, ChangeInfo.decode(in));
    }
}

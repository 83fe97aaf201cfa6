package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** READLINK4resok: the link's target. */
public record ReadlinkResult(String link) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        out.writeUtf8(link);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        return s.isOk() ? new ReadlinkResult(in.readUtf8(CreateArgs.MAX_LINK)) : StatusResult.of(s);
    }
}

package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** ACCESS4resok: the bits the server could evaluate, and those it grants. */
public record AccessResult(int supported, int access) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeInt(supported).writeInt(access);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        return s.isOk() ? new AccessResult(in.readInt(), in.readInt()) : StatusResult.of(s);
    }
}

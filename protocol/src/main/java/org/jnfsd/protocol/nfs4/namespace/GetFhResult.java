package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** GETFH4resok. */
public record GetFhResult(byte[] fh) implements OpResult {
    static final int NFS4_FHSIZE = 128;

    public GetFhResult {
        fh = fh.clone();
    }

    @Override
    public byte[] fh() {
        return fh.clone();
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        out.writeOpaque(fh);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        return s.isOk() ? new GetFhResult(in.readOpaque(NFS4_FHSIZE)) : StatusResult.of(s);
    }
}

package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** COMMIT4resok; failures are {@link StatusResult}. */
public record CommitResult(Verifier writeVerifier) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        writeVerifier.encode(out);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        return status.isOk() ? new CommitResult(Verifier.decode(in)) : StatusResult.of(status);
    }
}

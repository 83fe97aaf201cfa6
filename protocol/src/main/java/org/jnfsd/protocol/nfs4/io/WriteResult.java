package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** WRITE4resok; failures are {@link StatusResult}. {@code count} is unsigned on the wire. */
public record WriteResult(long count, StableHow committed, Verifier writeVerifier) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeInt((int) count).writeInt(committed.code());
        writeVerifier.encode(out);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        long count = in.readUnsignedInt();
        StableHow committed = StableHow.fromCode(in.readInt());
        return new WriteResult(count, committed, Verifier.decode(in));
    }
}

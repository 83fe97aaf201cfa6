package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * OFFLOAD_STATUS4resok: bytes copied so far, and the copy's final status once it finished
 * ({@code complete} null while it runs).
 */
public record OffloadStatusResult(long count, NfsStatus complete) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeLong(count);
        if (complete == null) {
            out.writeInt(0);
        } else {
            out.writeInt(1).writeInt(complete.code());
        }
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        long count = in.readLong();
        int n = in.readArrayLength(1, 4);
        return new OffloadStatusResult(count, n == 1 ? NfsStatus.fromCode(in.readInt()) : null);
    }
}

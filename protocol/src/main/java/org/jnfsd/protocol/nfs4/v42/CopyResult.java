package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * COPY4res: OK with the write response and the copy requirements met, or
 * NFS4ERR_OFFLOAD_NO_REQS with the requirements the server could meet ({@code response} null);
 * other failures are {@link StatusResult}.
 */
public record CopyResult(NfsStatus status, WriteResponse response, boolean consecutive, boolean synchronous)
        implements OpResult {
    public static CopyResult ok(WriteResponse response, boolean consecutive, boolean synchronous) {
        return new CopyResult(NfsStatus.NFS4_OK, response, consecutive, synchronous);
    }

    public static CopyResult noReqs(boolean consecutive, boolean synchronous) {
        return new CopyResult(NfsStatus.NFS4ERR_OFFLOAD_NO_REQS, null, consecutive, synchronous);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(status.code());
        if (status.isOk()) {
            response.encode(out);
        }
        out.writeBool(consecutive).writeBool(synchronous);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (status.isOk()) {
            WriteResponse r = WriteResponse.decode(in);
            return ok(r, in.readBool(), in.readBool());
        }
        if (status == NfsStatus.NFS4ERR_OFFLOAD_NO_REQS) {
            return noReqs(in.readBool(), in.readBool());
        }
        return StatusResult.of(status);
    }
}

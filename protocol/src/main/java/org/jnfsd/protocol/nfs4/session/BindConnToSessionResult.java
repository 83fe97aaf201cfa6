package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** BIND_CONN_TO_SESSION4resok; failures are a {@link StatusResult}. */
public record BindConnToSessionResult(SessionId sessionId, int dir, boolean useRdmaMode) implements OpResult {
    /** channel_dir_from_server4. */
    public static final int CDFS4_FORE = 0x1;
    public static final int CDFS4_BACK = 0x2;
    public static final int CDFS4_BOTH = 0x3;

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        sessionId.encode(out);
        out.writeInt(dir).writeBool(useRdmaMode);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        return new BindConnToSessionResult(SessionId.decode(in), in.readInt(), in.readBool());
    }
}

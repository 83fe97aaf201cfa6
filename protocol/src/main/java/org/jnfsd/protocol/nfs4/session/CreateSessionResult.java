package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CREATE_SESSION4resok; failures are a {@link StatusResult}. */
public record CreateSessionResult(SessionId sessionId, int sequence, int flags, ChannelAttrs foreChannel,
        ChannelAttrs backChannel) implements OpResult {

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        sessionId.encode(out);
        out.writeInt(sequence).writeInt(flags);
        foreChannel.encode(out);
        backChannel.encode(out);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        SessionId id = SessionId.decode(in);
        int seq = in.readInt();
        int flags = in.readInt();
        return new CreateSessionResult(id, seq, flags, ChannelAttrs.decode(in), ChannelAttrs.decode(in));
    }
}

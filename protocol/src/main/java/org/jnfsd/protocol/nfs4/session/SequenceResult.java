package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SEQUENCE4resok; failures are a {@link StatusResult}. */
public record SequenceResult(SessionId sessionId, int sequenceId, int slotId, int highestSlotId,
        int targetHighestSlotId, int statusFlags) implements OpResult {
    public static final int STATUS_CB_PATH_DOWN = 0x00000001;
    public static final int STATUS_CB_GSS_CONTEXTS_EXPIRING = 0x00000002;
    public static final int STATUS_CB_GSS_CONTEXTS_EXPIRED = 0x00000004;
    public static final int STATUS_EXPIRED_ALL_STATE_REVOKED = 0x00000008;
    public static final int STATUS_EXPIRED_SOME_STATE_REVOKED = 0x00000010;
    public static final int STATUS_ADMIN_STATE_REVOKED = 0x00000020;
    public static final int STATUS_RECALLABLE_STATE_REVOKED = 0x00000040;
    public static final int STATUS_LEASE_MOVED = 0x00000080;
    public static final int STATUS_RESTART_RECLAIM_NEEDED = 0x00000100;
    public static final int STATUS_CB_PATH_DOWN_SESSION = 0x00000200;
    public static final int STATUS_BACKCHANNEL_FAULT = 0x00000400;
    public static final int STATUS_DEVID_CHANGED = 0x00000800;
    public static final int STATUS_DEVID_DELETED = 0x00001000;

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        sessionId.encode(out);
        out.writeInt(sequenceId).writeInt(slotId).writeInt(highestSlotId).writeInt(targetHighestSlotId)
                .writeInt(statusFlags);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        return new SequenceResult(SessionId.decode(in), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt());
    }
}

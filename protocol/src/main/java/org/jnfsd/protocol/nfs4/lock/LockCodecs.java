package org.jnfsd.protocol.nfs4.lock;

import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoder;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** Registers this area's result decoders for the client. */
public final class LockCodecs {
    private LockCodecs() {}

    public static void registerResults(Map<Opcode, ResultDecoder> decoders) {
        decoders.put(Opcode.LOCK, LockCodecs::decodeLock);
        decoders.put(Opcode.LOCKT, LockCodecs::decodeLockt);
        decoders.put(Opcode.LOCKU, StateIdResult::decode);
    }

    /** LOCK4res: a {@link StateIdResult}, a {@link LockDeniedResult} or a {@link StatusResult}. */
    public static OpResult decodeLock(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        return switch (status) {
            case NFS4_OK -> new StateIdResult(StateId.decode(in));
            case NFS4ERR_DENIED -> new LockDeniedResult(LockDenied.decode(in));
            default -> StatusResult.of(status);
        };
    }

    /** LOCKT4res: OK, a {@link LockDeniedResult} or another status. */
    public static OpResult decodeLockt(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        return status == NfsStatus.NFS4ERR_DENIED ? new LockDeniedResult(LockDenied.decode(in)) : StatusResult.of(status);
    }
}

package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** The OK arm of CLOSE4res and OPEN_DOWNGRADE4res: a stateid. Failures are {@link StatusResult}. */
public record StateIdResult(StateId stateId) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        stateId.encode(out);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        return status.isOk() ? new StateIdResult(StateId.decode(in)) : StatusResult.of(status);
    }
}

package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** The NFS4ERR_DENIED arm of LOCK4res and LOCKT4res. */
public record LockDeniedResult(LockDenied denied) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4ERR_DENIED;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4ERR_DENIED.code());
        denied.encode(out);
    }
}

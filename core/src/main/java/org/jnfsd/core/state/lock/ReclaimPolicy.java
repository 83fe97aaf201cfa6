package org.jnfsd.core.state.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * Whether a LOCK may go ahead with respect to grace (RFC 8881 §8.4.2): during grace only reclaims,
 * after it no reclaims. The grace work implements it; the default has no grace period at all.
 */
@FunctionalInterface
public interface ReclaimPolicy {
    /** No grace: a reclaim is NFS4ERR_NO_GRACE, anything else is allowed. */
    ReclaimPolicy NO_GRACE = (clientId, reclaim) -> {
        if (reclaim) {
            throw new NfsException(NfsStatus.NFS4ERR_NO_GRACE, "LOCK reclaim by client "
                    + Long.toHexString(clientId) + " outside grace");
        }
    };

    /** Throws NFS4ERR_GRACE, NFS4ERR_NO_GRACE, NFS4ERR_RECLAIM_BAD... when the LOCK may not proceed. */
    void checkLock(long clientId, boolean reclaim) throws NfsException;
}

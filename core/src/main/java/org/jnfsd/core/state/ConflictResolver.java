package org.jnfsd.core.state;

import java.util.Set;

/**
 * What a state table asks when another client's state conflicts with a request: a COURTESY client
 * (its lease lapsed, its state kept) loses its state to the conflicting request (knfsd's courteous
 * server). OPEN calls it for share reservations; the lock table calls it the same way for a
 * conflicting LOCK. Call it without holding any state lock: it tears the other clients down, which
 * takes file and table locks. As knfsd does, it is all or nothing: when one of the conflicting
 * clients is active the conflict stands and no courtesy client loses its state for nothing.
 */
@FunctionalInterface
public interface ConflictResolver {
    /** Nothing is courtesy: every conflict stands. */
    ConflictResolver NONE = clientIds -> Outcome.NOT_COURTESY;

    /** What became of the conflicting client. */
    enum Outcome {
        /** One of them is active (or unknown): the conflict stands (NFS4ERR_SHARE_DENIED, DENIED). */
        NOT_COURTESY,
        /** All were courtesy clients and their state is released now: retry the request. */
        EXPIRED,
        /** They are expiring but compounds of one are still in flight: answer NFS4ERR_DELAY. */
        EXPIRING
    }

    /** Expires every client of {@code clientIds} if all of them are courtesy clients; else none. */
    Outcome expireIfAllCourtesy(Set<Long> clientIds);

    /** {@link #expireIfAllCourtesy} for one client. */
    default Outcome expireIfCourtesy(long clientId) {
        return expireIfAllCourtesy(Set.of(clientId));
    }
}

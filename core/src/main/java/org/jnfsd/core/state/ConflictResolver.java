package org.jnfsd.core.state;

/**
 * What a state table asks when another client's state conflicts with a request: a COURTESY client
 * (its lease lapsed, its state kept) loses its state to the conflicting request (knfsd's courteous
 * server). OPEN calls it for share reservations; the lock table calls it the same way for a
 * conflicting LOCK. Call it without holding any state lock: it tears the other client down, which
 * takes file and table locks.
 */
@FunctionalInterface
public interface ConflictResolver {
    /** Nothing is courtesy: every conflict stands. */
    ConflictResolver NONE = clientId -> Outcome.NOT_COURTESY;

    /** What became of the conflicting client. */
    enum Outcome {
        /** An active client (or unknown): the conflict stands (NFS4ERR_SHARE_DENIED, DENIED). */
        NOT_COURTESY,
        /** It was a courtesy client and its state is released now: retry the request. */
        EXPIRED,
        /** It is expiring but compounds of it are still in flight: answer NFS4ERR_DELAY. */
        EXPIRING
    }

    /** Expires {@code clientId} if it is a courtesy client. */
    Outcome expireIfCourtesy(long clientId);
}

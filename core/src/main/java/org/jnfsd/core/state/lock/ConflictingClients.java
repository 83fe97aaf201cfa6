package org.jnfsd.core.state.lock;

/**
 * The one call the lock manager makes when another client's lock is in the way: expire that client
 * if it may be expired (a courtesy client, RFC 8881 §10.2.2 / knfsd's courteous server), releasing
 * its state (including its locks, through {@link LockManager#releaseClient}) before returning. The
 * lease work implements it; until then no client is ever expired.
 */
@FunctionalInterface
public interface ConflictingClients {
    ConflictingClients NEVER = clientId -> false;

    /**
     * Called without any lock manager lock held.
     *
     * @return true when the client was expired and its state released, so the caller retries
     */
    boolean tryExpire(long clientId);
}

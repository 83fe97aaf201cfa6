/**
 * Byte-range locks (RFC 8881 §9): {@link org.jnfsd.core.state.lock.LockManager}, reached through
 * {@code ServerContext.locks()}, used by LOCK, LOCKT, LOCKU ({@code core.ops.lock}) and by CLOSE,
 * FREE_STATEID, TEST_STATEID, READ and WRITE for lock stateids.
 *
 * <p>Hooks for the other state work, each injected into the manager's constructor with a default:
 * <ul>
 *   <li>{@link org.jnfsd.core.state.lock.ConflictingClients} (lease): asked to expire the client
 *       holding a conflicting lock (courtesy clients); default: never.
 *   <li>{@link org.jnfsd.core.state.lock.ReclaimPolicy} (grace): whether a LOCK with or without
 *       reclaim may proceed; default: no grace, reclaims get NFS4ERR_NO_GRACE.
 *   <li>{@link org.jnfsd.core.state.lock.LockWaiterListener} (callback): a queued blocking lock
 *       became grantable, for CB_NOTIFY_LOCK; default: nothing.
 * </ul>
 * And calls the others make: {@code releaseClient} (client teardown, after the opens are
 * released), {@code reapExpiredWaiters} (the laundromat; LOCK also reaps lazily per file).
 */
package org.jnfsd.core.state.lock;

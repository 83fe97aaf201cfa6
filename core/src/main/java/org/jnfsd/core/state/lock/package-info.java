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
 *       became grantable; default: nothing. The server wires
 *       {@link org.jnfsd.core.state.lock.LockNotifier}, which queues a CB_NOTIFY_LOCK
 *       ({@code NotifyLockCallback}) on the waiting client's callback channel.
 * </ul>
 * And calls the others make: {@code releaseClient} (client teardown, after the opens are
 * released), {@code reapExpiredWaiters} (a laundromat task; LOCK also reaps lazily per file), and
 * TEST_STATEID / FREE_STATEID through {@code StateIdRegistry} (the manager is the
 * {@code StateIdKindTable} of lock stateids, allocated by the server's {@code StateIdAllocator}).
 */
package org.jnfsd.core.state.lock;

/**
 * Recovery after a server restart: the {@link org.jnfsd.core.recovery.RecoveryStore} SPI that
 * keeps the clients that may reclaim (SQLite by default, in memory for tests and the memory
 * backend) and the {@link org.jnfsd.core.recovery.GracePeriod} that enforces RFC 8881 §8.4.2.1
 * with them.
 *
 * <p>Hooks elsewhere: OPEN ({@code core.ops.io.Open}) checks the claim and records its client;
 * RECLAIM_COMPLETE reports to the grace period; {@code SessionRules.releaseClients} forgets
 * destroyed clients; REMOVE and RENAME refuse to run during grace. LOCK (reclaim flag) and LOCKT
 * call {@link org.jnfsd.core.recovery.GracePeriod#check} and
 * {@link org.jnfsd.core.recovery.GracePeriod#checkNotInGrace}; lease expiry calls
 * {@link org.jnfsd.core.recovery.GracePeriod#clientDestroyed}.
 */
package org.jnfsd.core.recovery;

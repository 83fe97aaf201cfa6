package org.jnfsd.core.recovery;

import java.util.List;

/**
 * Where a server keeps the clients that may reclaim state after it restarts (RFC 8881 §8.4.2.1),
 * like knfsd's nfsdcld. Implementations: {@link SqliteRecoveryStore} (the daemon's default, under
 * a state directory) and {@link InMemoryRecoveryStore} (tests, the memory backend).
 *
 * <p>Generations: every server start opens a new epoch ({@link #beginEpoch}). A record belongs to
 * the epoch in which it was last written. The clients that may reclaim in epoch N are all records
 * of epochs before N, whatever their age: a record is only dropped when its client is destroyed
 * ({@link #remove}) or when a grace period fully completes ({@link #endGrace}), which drops every
 * record not rewritten in the current epoch. So a server restarted twice before any grace period
 * ended still offers reclaim to the first generation's clients.
 *
 * <p>Calls come from one {@link GracePeriod} under its lock; implementations must still be
 * thread-safe. Failures are {@link RecoveryStoreException} with the cause.
 */
public interface RecoveryStore extends AutoCloseable {
    /**
     * Opens a new epoch. Called once per server start, before any other call.
     *
     * @return the clients that may reclaim in the new epoch (recorded in earlier epochs)
     */
    List<ReclaimableClient> beginEpoch();

    /** Records (or re-records) {@code client} in the current epoch; replaces a record of the same owner. */
    void record(ReclaimableClient client);

    /** Forgets the client with this owner id (the client was destroyed); nothing if unknown. */
    void remove(byte[] ownerId);

    /** The current epoch's grace period ended: forgets every record not written in this epoch. */
    void endGrace();

    /** Releases the store's resources; the store is unusable afterwards. */
    @Override
    void close();
}

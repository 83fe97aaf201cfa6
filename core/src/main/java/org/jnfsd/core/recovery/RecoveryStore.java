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
 * <p>A shared store (PostgreSQL, several nodes) adds the cluster's grace period and its
 * availability: {@link #clusterInGrace}, {@link #available}.
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

    /**
     * The client sent RECLAIM_COMPLETE in this grace period (kept for diagnostics and for the
     * cluster store's records); nothing by default.
     */
    default void reclaimComplete(byte[] ownerId) {}

    /**
     * Whether another node's grace period is in force, so that this server must refuse new state
     * as in its own grace. A single-node store: never.
     */
    default boolean clusterInGrace() {
        return false;
    }

    /**
     * Whether the store can record state now. When false the grace period refuses new state with
     * NFS4ERR_DELAY instead of granting what it could not record. A local store: always.
     */
    default boolean available() {
        return true;
    }

    /** Releases the store's resources; the store is unusable afterwards. */
    @Override
    void close();
}

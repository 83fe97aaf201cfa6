package org.jnfsd.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.recovery.ReclaimableClient;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.core.recovery.RecoveryStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RecoveryStore} of a node of a cluster: the clients of one service (the unit that fails
 * over: a service address and its export) in the shared PostgreSQL database, so that whichever
 * node serves the service next can offer those clients their reclaims, and the cluster grace period
 * of NFS-Ganesha's rados_cluster recovery backend (see {@link Schema} for the tables):
 *
 * <ul>
 *   <li>{@code current_epoch} grows by one at every {@link #beginEpoch} of any node; a record
 *       carries the epoch of the node start that wrote it, so "written before this start" is
 *       {@code epoch < mine}, as in the SQLite store.
 *   <li>A node that starts (or takes a service over) with clients that may reclaim sets its
 *       {@code need_grace} flag and, when no grace is in force, sets {@code recovery_epoch} to the
 *       epoch before its own: cluster grace begins. Every node honours it
 *       ({@link #clusterInGrace}) until {@code recovery_epoch} is 0 again.
 *   <li>{@link #endGrace} (the node's own grace ended) clears its flag; the last flag cleared ends
 *       the cluster grace (recovery epoch 0).
 * </ul>
 *
 * Each step is one transaction that first locks the {@code cluster_grace} row, so grace changes of
 * several nodes are serialized. Every failure marks the store unavailable ({@link #available}
 * false) until the next successful {@link #refresh}: the grace period then refuses new state with
 * NFS4ERR_DELAY rather than granting state it cannot record.
 *
 * <p>Concurrency: {@link #epoch} is written once by {@link #beginEpoch} (before any other call, per
 * the SPI) and read after; {@link #inGrace} and {@link #available} are volatile, written by the
 * calls that reach the database. Callers may call from any thread.
 */
public final class PostgresRecoveryStore implements RecoveryStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresRecoveryStore.class);

    private final ClusterDatabase db;
    private final String nodeId;
    private final String service;
    // written once by beginEpoch
    private volatile long epoch;
    // the cluster grace as last read (refresh, beginEpoch, endGrace)
    private volatile boolean inGrace;
    // false after a failed database call, until a refresh succeeds
    private volatile boolean available = true;

    /**
     * @param nodeId this node's id (unique in the cluster)
     * @param service the service whose clients this store keeps
     */
    public PostgresRecoveryStore(ClusterDatabase db, String nodeId, String service) {
        this.db = db;
        this.nodeId = nodeId;
        this.service = service;
    }

    @Override
    public List<ReclaimableClient> beginEpoch() {
        return call("begin a new epoch", c -> {
            long[] grace = lockGrace(c);
            long mine = grace[0] + 1;
            try (PreparedStatement p = c.prepareStatement("UPDATE cluster_grace SET current_epoch = ?")) {
                p.setLong(1, mine);
                p.executeUpdate();
            }
            List<ReclaimableClient> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT owner, principal FROM client WHERE service = ? AND epoch < ? ORDER BY owner")) {
                p.setString(1, service);
                p.setLong(2, mine);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new ReclaimableClient(r.getBytes(1), r.getString(2)));
                    }
                }
            }
            boolean needGrace = !out.isEmpty();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO node (node_id, need_grace) VALUES (?, ?)"
                    + " ON CONFLICT (node_id) DO UPDATE SET need_grace = excluded.need_grace, seen = now()")) {
                p.setString(1, nodeId);
                p.setBoolean(2, needGrace);
                p.executeUpdate();
            }
            long recovery = grace[1];
            if (needGrace && recovery == 0) {
                recovery = grace[0];
                try (PreparedStatement p = c.prepareStatement("UPDATE cluster_grace SET recovery_epoch = ?")) {
                    p.setLong(1, recovery);
                    p.executeUpdate();
                }
            } else if (!needGrace && recovery != 0 && !anyNeedsGrace(c)) {
                // this node held the last flag (it restarted in its own grace, with nothing left)
                recovery = 0;
                clearRecovery(c);
            }
            epoch = mine;
            inGrace = recovery != 0;
            log.info("node {} service {}: epoch {}, {} client(s) may reclaim, cluster grace {}", nodeId, service, mine,
                    out.size(), recovery != 0 ? "in force since epoch " + recovery : "not in force");
            return out;
        });
    }

    @Override
    public void record(ReclaimableClient client) {
        call("record " + client, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO client (service, owner, principal, node_id, epoch) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (service, owner) DO UPDATE SET principal = excluded.principal,"
                            + " node_id = excluded.node_id, epoch = excluded.epoch, reclaim_complete = false")) {
                p.setString(1, service);
                p.setBytes(2, client.ownerId());
                p.setString(3, client.principal());
                p.setString(4, nodeId);
                p.setLong(5, epoch);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void remove(byte[] ownerId) {
        call("remove a client", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM client WHERE service = ? AND owner = ?")) {
                p.setString(1, service);
                p.setBytes(2, ownerId);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void reclaimComplete(byte[] ownerId) {
        call("mark a reclaim complete", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE client SET reclaim_complete = true WHERE service = ? AND owner = ?")) {
                p.setString(1, service);
                p.setBytes(2, ownerId);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void endGrace() {
        call("end the grace period", c -> {
            lockGrace(c);
            int dropped;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM client WHERE service = ? AND epoch < ?")) {
                p.setString(1, service);
                p.setLong(2, epoch);
                dropped = p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE node SET need_grace = false WHERE node_id = ?")) {
                p.setString(1, nodeId);
                p.executeUpdate();
            }
            boolean others = anyNeedsGrace(c);
            if (!others) {
                clearRecovery(c);
            }
            inGrace = others;
            log.info("node {} lifted its grace flag ({} record(s) of clients that did not return dropped); cluster grace {}",
                    nodeId, dropped, others ? "goes on: other nodes still need it" : "over");
            return null;
        });
    }

    /**
     * Whether a cluster grace period is in force, as last read from the database: this node then
     * grants no new state that could conflict with another node's reclaims.
     */
    @Override
    public boolean clusterInGrace() {
        return inGrace;
    }

    /** False after a failed database call, until a {@link #refresh} succeeds. */
    @Override
    public boolean available() {
        return available;
    }

    /**
     * Reads the cluster grace state again and marks this node seen; the node's heartbeat calls it
     * (a few times per lease). A failure leaves the store unavailable and is rethrown.
     */
    public void refresh() {
        call("refresh the cluster grace state", c -> {
            long recovery;
            try (PreparedStatement p = c.prepareStatement("SELECT recovery_epoch FROM cluster_grace");
                    ResultSet r = p.executeQuery()) {
                r.next();
                recovery = r.getLong(1);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE node SET seen = now() WHERE node_id = ?")) {
                p.setString(1, nodeId);
                p.executeUpdate();
            }
            inGrace = recovery != 0;
            return null;
        });
    }

    /** The epoch of this node's start (0 before {@link #beginEpoch}). */
    public long epoch() {
        return epoch;
    }

    /** The database is shared: closing one node's store does not close it. */
    @Override
    public void close() {}

    private <T> T call(String what, ClusterDatabase.Work<T> work) {
        try {
            T out = db.inTransaction(work);
            available = true;
            return out;
        } catch (ClusterException e) {
            if (available) {
                log.warn("node {}: cluster database unavailable ({}): no new state until it is back", nodeId, e.getMessage());
            }
            available = false;
            throw new RecoveryStoreException("cannot " + what, e);
        }
    }

    /** Locks the grace row for this transaction; returns {current_epoch, recovery_epoch}. */
    static long[] lockGrace(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT current_epoch, recovery_epoch FROM cluster_grace WHERE id = 1 FOR UPDATE");
                ResultSet r = p.executeQuery()) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    private static boolean anyNeedsGrace(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM node WHERE need_grace)");
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static void clearRecovery(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE cluster_grace SET recovery_epoch = 0")) {
            p.executeUpdate();
        }
    }
}

package org.jnfsd.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node serves a service (a service address and its export), as one row per service in
 * {@code service_owner} under a lease that its owner renews. No election protocol of our own: the
 * row is changed only by single SQL statements whose WHERE clause states the rule, and PostgreSQL's
 * row lock makes concurrent attempts take turns, so exactly one of them wins.
 *
 * <ul>
 *   <li>{@link #tryAcquire} (start-up, {@code --failover auto}): wins when there is no owner, when
 *       this node already is the owner, or when the owner's lease has lapsed; serve at once.
 *   <li>{@link #takeOver} ({@code jnfsd takeover}): wins always, but may serve only after the old
 *       owner's lease would have lapsed ({@link Grant#serveAfter}): the old owner, if alive, fences
 *       itself by then.
 *   <li>{@link #renew}: the owner extends its lease; false means it is no longer the owner (taken
 *       over, or lapsed) and must stop serving at once.
 * </ul>
 *
 * A change of owner also clears the old owner's "need grace" flag in the same transaction: the new
 * owner starts its own grace for the same clients, and a dead node could never clear it itself.
 *
 * <p>Time is the database server's clock (one clock for every node, no skew between them) unless a
 * clock is injected (tests).
 */
public final class ServiceLeases {
    private static final Logger log = LoggerFactory.getLogger(ServiceLeases.class);

    /** An ownership won: the generation identifies it; renewals must present it. */
    public record Grant(String service, long generation, Instant serveAfter, String previousOwner) {}

    /** The owner row as read. */
    public record Owner(String nodeId, long generation, Instant expires, Instant serveAfter) {}

    private final ClusterDatabase db;
    private final String nodeId;
    private final Duration lease;
    private final Clock clock;

    /** @param clock null: the database server's clock */
    public ServiceLeases(ClusterDatabase db, String nodeId, Duration lease, Clock clock) {
        this.db = db;
        this.nodeId = nodeId;
        this.lease = lease;
        this.clock = clock;
    }

    public Duration lease() {
        return lease;
    }

    /** Takes the service when it has no live owner (or is this node's); empty when another node holds it. */
    public Optional<Grant> tryAcquire(String service) {
        return db.inTransaction(c -> {
            Optional<Owner> before = read(c, service, true);
            if (before.isPresent() && !before.get().nodeId().equals(nodeId) && now(c).isBefore(before.get().expires())) {
                return Optional.empty();
            }
            return Optional.ofNullable(write(c, service, before, false));
        });
    }

    /**
     * Takes the service whoever holds it (the operator says the owner is gone or must go); serving
     * must wait for {@link Grant#serveAfter}, the end of the old owner's lease.
     */
    public Grant takeOver(String service) {
        for (int attempt = 0; ; attempt++) {
            Grant g = db.inTransaction(c -> write(c, service, read(c, service, true), true));
            if (g != null) {
                return g;
            }
            if (attempt == 2) {
                throw new ClusterException("cannot take over " + service + ": its owner row keeps changing", null);
            }
        }
    }

    /** Extends the lease of {@code grant}; false when this node no longer owns the service. */
    public boolean renew(Grant grant) {
        return db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE service_owner SET expires = ?"
                    + " WHERE service = ? AND node_id = ? AND generation = ? AND expires > ?")) {
                Instant now = now(c);
                p.setTimestamp(1, Timestamp.from(now.plus(lease)));
                p.setString(2, grant.service());
                p.setString(3, nodeId);
                p.setLong(4, grant.generation());
                p.setTimestamp(5, Timestamp.from(now));
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Ends this node's lease now (a clean stop), so that a standby may take over at once. */
    public void release(Grant grant) {
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE service_owner SET expires = ?"
                    + " WHERE service = ? AND node_id = ? AND generation = ?")) {
                p.setTimestamp(1, Timestamp.from(now(c)));
                p.setString(2, grant.service());
                p.setString(3, nodeId);
                p.setLong(4, grant.generation());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The service's owner row, if any. */
    public Optional<Owner> owner(String service) {
        return db.inTransaction(c -> read(c, service, false));
    }

    /** The time now, on the clock every lease is measured by. */
    public Instant now() {
        return db.inTransaction(this::now);
    }

    /** Writes this node as the owner; null when another node inserted the first row meanwhile. */
    private Grant write(Connection c, String service, Optional<Owner> before, boolean manual) throws SQLException {
        Instant now = now(c);
        long generation = before.map(o -> o.generation() + 1).orElse(1L);
        Instant serveAfter = now;
        if (manual && before.isPresent() && !before.get().nodeId().equals(nodeId) && before.get().expires().isAfter(now)) {
            serveAfter = before.get().expires();
        }
        // an existing row is locked by read(); a first row is raced for by the INSERT alone
        String sql = before.isEmpty()
                ? "INSERT INTO service_owner (node_id, generation, expires, serve_after, service)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (service) DO NOTHING"
                : "UPDATE service_owner SET node_id = ?, generation = ?, expires = ?, serve_after = ? WHERE service = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, nodeId);
            p.setLong(2, generation);
            p.setTimestamp(3, Timestamp.from(serveAfter.plus(lease)));
            p.setTimestamp(4, Timestamp.from(serveAfter));
            p.setString(5, service);
            if (p.executeUpdate() != 1) {
                return null;
            }
        }
        String previous = before.map(Owner::nodeId).orElse(null);
        if (previous != null && !previous.equals(nodeId)) {
            PostgresRecoveryStore.lockGrace(c);
            try (PreparedStatement p = c.prepareStatement("UPDATE node SET need_grace = false WHERE node_id = ?")) {
                p.setString(1, previous);
                p.executeUpdate();
            }
            log.info("node {} {} service {} from node {} (generation {}), serving from {}", nodeId,
                    manual ? "takes over" : "acquires the lapsed", service, previous, generation, serveAfter);
        }
        return new Grant(service, generation, serveAfter, previous);
    }

    private static Optional<Owner> read(Connection c, String service, boolean forUpdate) throws SQLException {
        // FOR UPDATE locks an existing row; a missing row is serialized by the INSERT's conflict
        try (PreparedStatement p = c.prepareStatement("SELECT node_id, generation, expires, serve_after"
                + " FROM service_owner WHERE service = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setString(1, service);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Owner(r.getString(1), r.getLong(2), r.getTimestamp(3).toInstant(),
                        r.getTimestamp(4).toInstant()));
            }
        }
    }

    private Instant now(Connection c) throws SQLException {
        if (clock != null) {
            return clock.instant();
        }
        try (PreparedStatement p = c.prepareStatement("SELECT clock_timestamp()");
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getTimestamp(1).toInstant();
        }
    }
}

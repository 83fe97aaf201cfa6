package org.jnfsd.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The cluster schema and its versioned migration: {@link #MIGRATIONS}[i] takes the schema from
 * version i to i + 1; {@code schema_version} holds the version reached. {@link #migrate} runs in one
 * transaction (PostgreSQL's DDL is transactional) under a transaction-scoped advisory lock, so two
 * nodes starting at once apply each step exactly once, and a failed step leaves the old version.
 * A database newer than this code is refused rather than guessed at.
 *
 * <p>Tables (version 1):
 * <pre>
 *   cluster_grace(id = 1, current_epoch, recovery_epoch)   rados_cluster's grace object: recovery
 *                                                         epoch 0 = no cluster grace
 *   node(node_id, need_grace, seen)                        per node: its "need grace" flag
 *   client(service, owner, principal, node_id, epoch, reclaim_complete)
 *                                                         clients that may reclaim on a service
 *   service_owner(service, node_id, generation, expires, serve_after)
 *                                                         who serves a service, under a lease
 * </pre>
 *
 * Version 2 adds {@code cluster_secret(name, value)}: secrets every node must share, made once by
 * the first node that needs them (the file handle key, see {@link ClusterSecrets}).
 *
 * Why not Flyway: one linear list of a few statements does not need its 1 MiB core, its separate
 * PostgreSQL module and its own history table conventions; what Flyway would add (checksums of SQL
 * files, out-of-order and repair commands) has no use while the migrations live in this class.
 */
final class Schema {
    /** Lock key of the migration (any constant shared by every node; "jnfsd" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6A6E667364L;

    private static final List<List<String>> MIGRATIONS = List.of(List.of(
        "CREATE TABLE cluster_grace (id integer PRIMARY KEY CHECK (id = 1),"
                + " current_epoch bigint NOT NULL, recovery_epoch bigint NOT NULL)",
        "INSERT INTO cluster_grace VALUES (1, 1, 0)",
        "CREATE TABLE node (node_id text PRIMARY KEY, need_grace boolean NOT NULL DEFAULT false,"
                + " seen timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE client (service text NOT NULL, owner bytea NOT NULL, principal text NOT NULL,"
                + " node_id text NOT NULL, epoch bigint NOT NULL, reclaim_complete boolean NOT NULL DEFAULT false,"
                + " PRIMARY KEY (service, owner))",
        "CREATE TABLE service_owner (service text PRIMARY KEY, node_id text NOT NULL,"
                + " generation bigint NOT NULL, expires timestamptz NOT NULL, serve_after timestamptz NOT NULL)"),
        List.of(
        "CREATE TABLE cluster_secret (name text PRIMARY KEY, value bytea NOT NULL)"));

    /** The version this code brings a database to. */
    static final int VERSION = MIGRATIONS.size();

    private Schema() {}

    static Void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
            int version;
            try (ResultSet r = s.executeQuery("SELECT max(version) FROM schema_version")) {
                r.next();
                version = r.getInt(1);
            }
            if (version > VERSION) {
                throw new SQLException("the cluster database has schema version " + version
                        + ", newer than this jnfsd's " + VERSION + ": upgrade jnfsd");
            }
            for (int v = version; v < VERSION; v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
            }
            if (version < VERSION) {
                s.executeUpdate("DELETE FROM schema_version");
                s.executeUpdate("INSERT INTO schema_version VALUES (" + VERSION + ")");
            }
        }
        return null;
    }
}

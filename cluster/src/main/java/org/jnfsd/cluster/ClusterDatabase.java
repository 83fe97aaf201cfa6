package org.jnfsd.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's PostgreSQL database: a HikariCP pool, the schema brought up to date on open
 * ({@link Schema}), and one way to run a transaction. Shared by the recovery store and the service
 * leases of one node.
 *
 * <p>Connections fail fast (a short connection timeout): a node that cannot reach the database
 * must learn it within a fraction of its lease, refuse new state and fence itself, not hang.
 */
public final class ClusterDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterDatabase.class);
    /** How long a caller waits for a connection (or a dead server's TCP connect) at most. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** Work done in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;

    private ClusterDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects to {@code url} (jdbc:postgresql://…) and migrates the schema. */
    public static ClusterDatabase open(String url, Credentials credentials) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(credentials.user());
        cfg.setPassword(credentials.password());
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        cfg.setValidationTimeout(1000);
        cfg.setAutoCommit(false);
        cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // fail the pool's start at once when the server is not there, and bound every socket wait
        cfg.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        cfg.addDataSourceProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        cfg.addDataSourceProperty("socketTimeout", "10");
        cfg.addDataSourceProperty("tcpKeepAlive", "true");
        cfg.setPoolName("jnfsd-cluster");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new ClusterException("cannot connect to the cluster database " + url, e);
        }
        ClusterDatabase db = new ClusterDatabase(ds);
        try {
            db.inTransaction(Schema::migrate);
        } catch (ClusterException e) {
            ds.close();
            throw e;
        }
        log.info("cluster database {} open (schema version {})", url, Schema.VERSION);
        return db;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rb) {
                    e.addSuppressed(rb);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new ClusterException("cluster database: " + e.getMessage(), e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}

package org.jnfsd.core.recovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link RecoveryStore}: one SQLite database, {@code recovery.db}, in a state
 * directory. Tables:
 *
 * <pre>
 *   epoch(id INTEGER PRIMARY KEY)                      one row per server start
 *   client(owner BLOB PRIMARY KEY, principal TEXT, epoch INTEGER)
 * </pre>
 *
 * Every write is its own transaction, durable when the call returns (SQLite's default rollback
 * journal with synchronous=FULL), so a crash right after an OPEN that recorded its client keeps
 * the record.
 *
 * <p>Concurrency: the one JDBC connection and {@link #epoch} are guarded by {@code this}.
 */
public final class SqliteRecoveryStore implements RecoveryStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteRecoveryStore.class);
    static final String FILE_NAME = "recovery.db";

    @GuardedBy("this")
    private final Connection db;
    /** The current epoch, 0 before beginEpoch. */
    @GuardedBy("this")
    private long epoch;

    private SqliteRecoveryStore(Connection db) {
        this.db = db;
    }

    /** Opens (creating when needed) the store in {@code stateDir}, which is created if missing. */
    public static SqliteRecoveryStore open(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new RecoveryStoreException("cannot create the state directory " + stateDir, e);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS epoch (id INTEGER PRIMARY KEY)");
                s.execute("CREATE TABLE IF NOT EXISTS client (owner BLOB PRIMARY KEY, principal TEXT NOT NULL,"
                        + " epoch INTEGER NOT NULL)");
            }
            log.debug("recovery store {} open", file);
            return new SqliteRecoveryStore(c);
        } catch (SQLException e) {
            RecoveryStoreException failure = new RecoveryStoreException("cannot open the recovery store " + file, e);
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException closing) {
                    failure.addSuppressed(closing);
                }
            }
            throw failure;
        }
    }

    @Override
    public synchronized List<ReclaimableClient> beginEpoch() {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("INSERT INTO epoch (id) SELECT COALESCE(MAX(id), 0) + 1 FROM epoch");
            try (ResultSet r = s.executeQuery("SELECT MAX(id) FROM epoch")) {
                r.next();
                epoch = r.getLong(1);
            }
            // keep only the current epoch's row: earlier ones are not referenced by id
            s.executeUpdate("DELETE FROM epoch WHERE id < " + epoch);
            List<ReclaimableClient> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT owner, principal FROM client WHERE epoch < " + epoch)) {
                while (r.next()) {
                    out.add(new ReclaimableClient(r.getBytes(1), r.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RecoveryStoreException("cannot begin a new epoch", e);
        }
    }

    @Override
    public synchronized void record(ReclaimableClient client) {
        try (PreparedStatement p = db.prepareStatement(
                "INSERT INTO client (owner, principal, epoch) VALUES (?, ?, ?)"
                        + " ON CONFLICT(owner) DO UPDATE SET principal = excluded.principal, epoch = excluded.epoch")) {
            p.setBytes(1, client.ownerId());
            p.setString(2, client.principal());
            p.setLong(3, epoch);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new RecoveryStoreException("cannot record " + client, e);
        }
    }

    @Override
    public synchronized void remove(byte[] ownerId) {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM client WHERE owner = ?")) {
            p.setBytes(1, ownerId);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new RecoveryStoreException("cannot remove a client", e);
        }
    }

    @Override
    public synchronized void endGrace() {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM client WHERE epoch < ?")) {
            p.setLong(1, epoch);
            int n = p.executeUpdate();
            log.debug("grace of epoch {} over: {} records of clients that did not return dropped", epoch, n);
        } catch (SQLException e) {
            throw new RecoveryStoreException("cannot end the grace period", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new RecoveryStoreException("cannot close the recovery store", e);
        }
    }
}

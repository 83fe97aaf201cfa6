package org.jnfsd.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL server of the tests, as {@code scripts/pg-test.sh start} (run by {@code
 * ./test}) describes it in {@code JNFSD_TEST_PG_*}. Each test gets a schema of its own (dropped by
 * {@link #close}), so tests never see each other's rows. Without a server the tests are skipped,
 * unless {@code JNFSD_REQUIRE_PG} is set (CI), where they fail.
 */
public final class TestDatabase implements AutoCloseable {
    private static int counter;

    private final String url;
    private final Credentials credentials;
    private final String schema;

    private TestDatabase(String url, Credentials credentials, String schema) {
        this.url = url;
        this.credentials = credentials;
        this.schema = schema;
    }

    /** A fresh schema in the test server; skips (or, under CI, fails) the test without one. */
    public static synchronized TestDatabase create() throws Exception {
        String base = System.getenv("JNFSD_TEST_PG_URL");
        if (base == null) {
            if (System.getenv("JNFSD_REQUIRE_PG") != null) {
                throw new IllegalStateException("JNFSD_REQUIRE_PG is set but JNFSD_TEST_PG_URL is not");
            }
            Assumptions.abort("no PostgreSQL: JNFSD_TEST_PG_URL unset (./test starts one via scripts/pg-test.sh)");
        }
        Credentials cred = new Credentials(System.getenv("JNFSD_TEST_PG_USER"),
                Files.readString(Path.of(System.getenv("JNFSD_TEST_PG_PASSWORD_FILE"))).strip());
        String schema = "t" + ProcessHandle.current().pid() + "_" + (++counter);
        try (Connection c = DriverManager.getConnection(base, cred.user(), cred.password());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        return new TestDatabase(base + "?currentSchema=" + schema, cred, schema);
    }

    public String url() {
        return url;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** A new pool on the test schema, as one node opens it. */
    public ClusterDatabase open() {
        return ClusterDatabase.open(url, credentials);
    }

    /** Runs SQL on the test schema outside any node (to look at what the nodes wrote). */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, credentials.user(), credentials.password());
                Statement s = c.createStatement();
                var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Stops the server at once (as a crash): {@code pg-test.sh kill}. */
    public static void killServer() throws IOException, InterruptedException {
        pgTest("kill");
    }

    /** Starts it again on the same port: {@code pg-test.sh restart}. */
    public static void restartServer() throws IOException, InterruptedException {
        pgTest("restart");
    }

    private static void pgTest(String command) throws IOException, InterruptedException {
        String dir = System.getenv("JNFSD_TEST_PG_DIR");
        Assumptions.assumeTrue(dir != null, "JNFSD_TEST_PG_DIR unset: the server was not started by pg-test.sh");
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/pg-test.sh");
        Process p = new ProcessBuilder(script.toString(), command, dir).inheritIO().start();
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("pg-test.sh " + command + " failed");
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, credentials.user(), credentials.password());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}

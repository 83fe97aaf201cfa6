package org.jnfsd.daemon;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The test PostgreSQL server that {@code ./test} starts ({@code scripts/pg-test.sh}, described in
 * {@code JNFSD_TEST_PG_*}), with a schema of this test's own and a credentials file of mode 600,
 * and the command line of a cluster node over them. Without a server the test is skipped, unless
 * {@code JNFSD_REQUIRE_PG} is set (CI), where it fails.
 */
final class TestCluster implements AutoCloseable {
    private static int counter;

    final String url;
    final Path credentials;
    final int port;
    private final String base;
    private final String user;
    private final String password;
    private final String schema;

    private TestCluster(String base, String user, String password, String schema, Path credentials, int port) {
        this.base = base;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.url = base + "?currentSchema=" + schema;
        this.credentials = credentials;
        this.port = port;
    }

    static synchronized TestCluster create(Path tmp) throws Exception {
        String base = System.getenv("JNFSD_TEST_PG_URL");
        if (base == null) {
            if (System.getenv("JNFSD_REQUIRE_PG") != null) {
                throw new IllegalStateException("JNFSD_REQUIRE_PG is set but JNFSD_TEST_PG_URL is not");
            }
            Assumptions.abort("no PostgreSQL: JNFSD_TEST_PG_URL unset (./test starts one via scripts/pg-test.sh)");
        }
        String user = System.getenv("JNFSD_TEST_PG_USER");
        String password = Files.readString(Path.of(System.getenv("JNFSD_TEST_PG_PASSWORD_FILE"))).strip();
        String schema = "d" + ProcessHandle.current().pid() + "_" + (++counter);
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        Path cred = tmp.resolve("cluster.credentials");
        Files.writeString(cred, "user=" + user + "\npassword=" + password + "\n");
        Files.setPosixFilePermissions(cred, PosixFilePermissions.fromString("rw-------"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new TestCluster(base, user, password, schema, cred, port);
    }

    /** {@code serve <dir>} as node {@code id} on {@code address}, with short leases, plus {@code extra}. */
    List<String> serve(Path dir, String id, String address, String failover, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", dir.toString(), "--node-id", id, "--cluster", url,
                "--cluster-credentials", credentials.toString(), "--service", "svc", "--service-address", address,
                "--port", Integer.toString(port), "--failover", failover, "--cluster-lease", "10", "--lease", "10",
                "--grace", "60", "--clients", "127.0.0.0/8", "--no-root-squash", "--no-delegations"));
        args.addAll(List.of(extra));
        return args;
    }

    /** The options of {@code jnfsd takeover} for node {@code id}. */
    String[] takeover(String id) {
        return new String[] {"takeover", "svc", "--node-id", id, "--cluster", url, "--cluster-credentials",
                credentials.toString(), "--cluster-lease", "10"};
    }

    /** Stops the database server at once, as a crash ({@code pg-test.sh kill}); skips without pg-test.sh's server. */
    static void killDatabase() throws Exception {
        pgTest("kill");
    }

    /** Starts it again on the same port ({@code pg-test.sh restart}). */
    static void restartDatabase() throws Exception {
        pgTest("restart");
    }

    private static void pgTest(String command) throws Exception {
        String dir = System.getenv("JNFSD_TEST_PG_DIR");
        Assumptions.assumeTrue(dir != null, "JNFSD_TEST_PG_DIR unset: the server was not started by pg-test.sh");
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/pg-test.sh");
        Process p = new ProcessBuilder(script.toString(), command, dir).inheritIO().start();
        if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("pg-test.sh " + command + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}

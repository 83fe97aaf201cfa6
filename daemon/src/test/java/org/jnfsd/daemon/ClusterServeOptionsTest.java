package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jnfsd serve} as a cluster node and {@code jnfsd takeover}: what they refuse, in one line, before any database. */
class ClusterServeOptionsTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private Path credentials(String mode) throws Exception {
        Path f = tmp.resolve("pg.credentials");
        Files.writeString(f, "user=jnfsd\npassword=secret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private String[] node(String... extra) throws Exception {
        String[] base = {"serve", tmp.toString(), "--node-id", "a", "--cluster", "jdbc:postgresql://127.0.0.1:1/none",
            "--cluster-credentials", credentials("rw-------").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void serve_clusterWithoutServiceAddress_refusedInOneLine() throws Exception {
        StringWriter err = new StringWriter();

        assertThat(run(err, node())).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString().contains("needs --service-address");
    }

    @Test
    void serve_clusterWithoutCredentials_refusedNamingWhatIsNeeded() {
        StringWriter err = new StringWriter();

        assertThat(run(err, "serve", tmp.toString(), "--node-id", "a", "--service-address", "127.0.0.2")).isEqualTo(1);
        assertThat(err.toString()).contains("needs --node-id, --cluster and --cluster-credentials");
    }

    @Test
    void serve_clusterWithSingleNodeOptions_refused() throws Exception {
        for (String[] single : new String[][] {{"--state-dir", tmp.toString()}, {"--bind", "0.0.0.0"}}) {
            StringWriter err = new StringWriter();

            assertThat(run(err, node("--service-address", "127.0.0.2", single[0], single[1]))).isEqualTo(1);
            assertThat(err.toString()).contains(single[0] + " is not for a cluster node");
        }
    }

    @Test
    void serve_credentialsReadableByGroup_refusedBeforeConnecting() throws Exception {
        StringWriter err = new StringWriter();
        String[] args = node("--service-address", "127.0.0.2");
        credentials("rw-r--r--");

        assertThat(run(err, args)).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString().contains("chmod 600");
    }

    @Test
    void serve_databaseUnreachable_oneLineExit1() throws Exception {
        StringWriter err = new StringWriter();

        assertThat(run(err, node("--service-address", "127.0.0.2"))).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("jnfsd: cannot connect to the cluster database jdbc:postgresql://127.0.0.1:1/none");
    }

    @Test
    void takeover_notAPostgresUrl_refused() throws Exception {
        StringWriter err = new StringWriter();

        assertThat(run(err, "takeover", "nfs", "--node-id", "b", "--cluster", "jdbc:mysql://x/y", "--cluster-credentials",
                credentials("rw-------").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("not a jdbc:postgresql:// URL");
    }

    @Test
    void options_serverScope_clusterDefaultIsTheService_elseHostNameOrTheOption() {
        Main.Serve node = new Main.Serve();
        new CommandLine(node).parseArgs("/srv", "--cluster", "jdbc:postgresql://h/db", "--node-id", "a",
                "--cluster-credentials", "/c", "--service", "home");
        Main.Serve single = new Main.Serve();
        new CommandLine(single).parseArgs("/srv");
        Main.Serve given = new Main.Serve();
        new CommandLine(given).parseArgs("/srv", "--server-scope", "pair-1");

        assertThat(node.config().serverName()).isEqualTo("jnfsd/home");
        assertThat(single.serverName()).isNull();
        assertThat(given.config().serverName()).isEqualTo("pair-1");
    }
}

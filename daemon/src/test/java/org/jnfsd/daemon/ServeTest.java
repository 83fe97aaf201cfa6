package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jnfsd serve}: its options, and the ways a start fails in one line. */
class ServeTest {
    @Test
    void options_default_delegationsOnUpToTheDefaultLimit() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a");

        assertThat(serve.export(new MemoryFileSystem(Clock.systemUTC())).delegations()).isTrue();
        assertThat(serve.config().maxDelegations()).isEqualTo(ServerConfig.DEFAULT_MAX_DELEGATIONS).isPositive();
    }

    @Test
    void options_noDelegationsAndMaxDelegations_exportOffAndLimitSet() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a", "--no-delegations", "--max-delegations", "7");

        assertThat(serve.export(new MemoryFileSystem(Clock.systemUTC())).delegations()).isFalse();
        assertThat(serve.config().maxDelegations()).isEqualTo(7);
    }

    @Test
    void options_limits_reachTheServerConfig() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a", "--max-clients", "5", "--unconfirmed-client-seconds", "3",
                "--max-connections", "6", "--max-connections-per-address", "2", "--idle-connection-seconds", "0",
                "--reply-cache-mib", "1");

        assertThat(serve.config().limits()).isEqualTo(new ServerConfig.Limits(5, Duration.ofSeconds(3), 6, 2, null, 1 << 20));
    }

    @Test
    void options_versions_defaultAllThree_listNarrowsThem() {
        Main.Serve all = new Main.Serve();
        new CommandLine(all).parseArgs("/srv/a");
        Main.Serve some = new Main.Serve();
        new CommandLine(some).parseArgs("/srv/a", "--versions", "4.1, 4.2");

        assertThat(all.config().minorVersions()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(some.config().minorVersions()).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void options_callbackAddresses_defaultTheClientsOwn_listReachesTheConfig() throws Exception {
        Main.Serve none = new Main.Serve();
        new CommandLine(none).parseArgs("/srv/a");
        Main.Serve some = new Main.Serve();
        new CommandLine(some).parseArgs("/srv/a", "--callback-addresses", "10.77.0.0/24");
        java.net.InetAddress client = java.net.InetAddress.getByName("10.77.0.2");
        java.net.InetSocketAddress cb = new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.77.0.9"), 1000);

        assertThat(none.config().callbackAddresses()).isSameAs(org.jnfsd.core.callback.CallbackAddressPolicy.CLIENT_ONLY);
        assertThat(none.config().callbackAddresses().refusal(cb, client)).isNotNull();
        assertThat(some.config().callbackAddresses().refusal(cb, client)).isNull();
    }

    @Test
    void options_versionsUnknown_refusedNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.Serve.minorVersions("4.0,4.3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'4.3'");
    }

    @Test
    void options_teardownBoundAndCallbackSettings_reachTheServerConfig() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a", "--teardown-bound-ms", "1234", "--cb-timeout-ms", "2345",
                "--cb-delay-retry-ms", "345", "--cb-max-delay-retries", "7", "--cb-max-sequence-retries", "8");

        ServerConfig config = serve.config();
        assertThat(config.teardownBound()).isEqualTo(Duration.ofMillis(1234));
        assertThat(config.cbTimeout()).isEqualTo(Duration.ofMillis(2345));
        assertThat(config.cbDelayRetryInterval()).isEqualTo(Duration.ofMillis(345));
        assertThat(config.cbMaxDelayRetries()).isEqualTo(7);
        assertThat(config.cbMaxSequenceRetries()).isEqualTo(8);
    }

    @Test
    void options_default_teardownBoundAndCallbackSettingsAsServerConfig() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a");

        ServerConfig config = serve.config();
        ServerConfig defaults = ServerConfig.defaults();
        assertThat(List.of(config.teardownBound(), config.cbTimeout(), config.cbDelayRetryInterval(),
                config.cbMaxDelayRetries(), config.cbMaxSequenceRetries()))
                .isEqualTo(List.of(defaults.teardownBound(), defaults.cbTimeout(), defaults.cbDelayRetryInterval(),
                        defaults.cbMaxDelayRetries(), defaults.cbMaxSequenceRetries()));
    }

    @Test
    void options_noDirNoExports_defaultExportsFileWhenItExists(@TempDir Path tmp) throws Exception {
        Path etc = tmp.resolve("exports");
        Main.Serve none = new Main.Serve();
        new CommandLine(none).parseArgs();
        none.defaultExports = etc;
        assertThat(none.exportsFileToUse()).as("no file yet").isNull();

        java.nio.file.Files.writeString(etc, "/srv *(ro)\n");
        assertThat(none.exportsFileToUse()).isEqualTo(etc);

        Main.Serve withDir = new Main.Serve();
        new CommandLine(withDir).parseArgs("/srv/a");
        withDir.defaultExports = etc;
        assertThat(withDir.exportsFileToUse()).as("<dir> given").isNull();

        Main.Serve named = new Main.Serve();
        new CommandLine(named).parseArgs("--exports", tmp.resolve("other").toString());
        named.defaultExports = etc;
        assertThat(named.exportsFileToUse()).isEqualTo(tmp.resolve("other"));
    }

    @Test
    void options_dirDefault_localhostReadWriteRootSquash() throws Exception {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a");

        assertThat(serve.dirRules()).singleElement().asString()
                .isEqualTo("127.0.0.1(rw,insecure,root_squash,anonuid=65534,anongid=65534,sec=sys)");
        var rules = serve.export(new MemoryFileSystem(Clock.systemUTC())).rules();
        assertThat(rules).isEqualTo(serve.dirRules());
    }

    @Test
    void options_clientsReadOnlyNoRootSquash_theRules() throws Exception {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a", "--clients", "192.168.1.0/24, *.lab.example", "--read-only",
                "--no-root-squash");

        assertThat(serve.dirRules()).extracting(Object::toString).containsExactly(
                "192.168.1.0/24(ro,insecure,no_root_squash,anonuid=65534,anongid=65534,sec=sys)",
                "*.lab.example(ro,insecure,no_root_squash,anonuid=65534,anongid=65534,sec=sys)");
    }

    @Test
    void options_clientsMalformedOrSquashBoth_oneLineError() {
        Main.Serve bad = new Main.Serve();
        new CommandLine(bad).parseArgs("/srv/a", "--clients", "10.0.0.0/33");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(DaemonException.class, bad::dirRules)
                .getMessage()).startsWith("--clients 10.0.0.0/33: ").doesNotContain("--clients:1");
        Main.Serve opts = new Main.Serve();
        new CommandLine(opts).parseArgs("/srv/a", "--clients", "*(rw)");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(DaemonException.class, opts::dirRules)
                .getMessage()).contains("without options");
        Main.Serve both = new Main.Serve();
        new CommandLine(both).parseArgs("/srv/a", "--root-squash", "--no-root-squash");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(DaemonException.class, both::dirRules)
                .getMessage()).contains("contradict");
    }

    @Test
    void options_default_limits() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a");

        assertThat(serve.config().limits()).isEqualTo(ServerConfig.defaults().limits());
    }

    @Test
    void serve_portInUse_oneLineExit1AndNoEpochRecorded(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();

            int rc = serve(err, tmp.toString(), "--port", "" + taken.getLocalPort(), "--state-dir", state.toString());

            assertThat(rc).isEqualTo(1);
            assertThat(err.toString().lines()).singleElement().asString()
                    .startsWith("jnfsd: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .contains("in use");
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("recovery.db"));
                ResultSet epochs = db.createStatement().executeQuery("SELECT COUNT(*) FROM epoch")) {
            assertThat(epochs.getLong(1)).as("epochs recorded").isZero();
        }
    }

    @Test
    void serve_stateDirLocked_oneLineExit1(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        try (StateDirectory held = StateDirectory.lock(state)) {
            StringWriter err = new StringWriter();

            int rc = serve(err, tmp.toString(), "--port", "0", "--state-dir", state.toString());

            assertThat(rc).isEqualTo(1);
            assertThat(err.toString().lines()).singleElement().asString()
                    .isEqualTo("jnfsd: state directory " + state + " is in use by another jnfsd (pid "
                            + ProcessHandle.current().pid() + "); stop it or pass another --state-dir");
        }
    }

    private static int serve(StringWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        return cmd.execute(all);
    }
}

package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.NfsStatusException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code --log-file}: dated lines, one INFO line per client created, confirmed, refused, lapsed. */
class ClientLogTest {
    private static final String DATE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) .*";

    @AfterEach
    void restoreLogging() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        new ContextInitializer(ctx).autoConfig();
    }

    @Test
    void clientLifecycle_oneDatedInfoLineEach_noStackTraces(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("logs/jnfsd.log");
        Files.createDirectories(log.getParent());
        Logging.toFile(log);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        byte[] owner = "Linux NFSv4.1 guest".getBytes(StandardCharsets.US_ASCII);
        try (JnfsdServer server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(clock)))
                .config(ServerConfig.builder().leaseTime(Duration.ofSeconds(90)).build())
                .clock(clock).port(0).build()) {
            InetSocketAddress nfs = server.start();
            Credential alice = new Credential.AuthSys(0, "guest", 1000, 1000, new int[0]);
            Credential bob = new Credential.AuthSys(0, "guest", 1001, 1001, new int[0]);
            try (NfsClient a = NfsClient.connect(nfs, 2, alice, List.of(), owner, new byte[8])) {
                // the same owner from another principal while the first has a session: CLID_INUSE
                assertThatThrownBy(() -> NfsClient.connect(nfs, 1, bob, List.of(), owner, new byte[8]).close())
                        .isInstanceOf(NfsStatusException.class);
                clock.advance(Duration.ofSeconds(200));
                server.context().laundromat().runOnce();
                String id = String.format("%016x", a.clientId());

                List<String> lines = Files.readAllLines(log);
                assertThat(lines).allMatch(l -> l.matches(DATE), "dated");
                assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
                assertThat(lines).filteredOn(l -> l.contains("INFO ") && l.contains(" client ") && l.contains(id) && !l.contains("refused"))
                        .extracting(l -> l.substring(l.indexOf(" - ") + 3))
                        .containsExactly(
                                "client " + id + " from 127.0.0.1:" + a.connection().localAddress().getPort()
                                        + " (NFSv4.2, owner \"Linux NFSv4.1 guest\"): created",
                                "client " + id + " from 127.0.0.1:" + a.connection().localAddress().getPort()
                                        + " (NFSv4.2, owner \"Linux NFSv4.1 guest\"): confirmed",
                                "client " + id + " from 127.0.0.1:" + a.connection().localAddress().getPort()
                                        + " (NFSv4.2, owner \"Linux NFSv4.1 guest\"): lease lapsed, kept as a courtesy client");
                assertThat(lines).filteredOn(l -> l.contains("EXCHANGE_ID refused"))
                        .singleElement().asString()
                        .contains("INFO ")
                        .contains("client from 127.0.0.1:")
                        .contains("(NFSv4.1, owner \"Linux NFSv4.1 guest\"): EXCHANGE_ID refused: NFS4ERR_CLID_INUSE");
            }
        }
    }

    @Test
    void logLevel_perLogger_setsThatLoggerOnly() throws Exception {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level before = root.getLevel();
        Logging.level("org.jnfsd.core.callback=DEBUG");
        assertThat(LoggerFactory.getLogger("org.jnfsd.core.callback.CallbackChannel").isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("org.jnfsd.core.state.OpenStates").isDebugEnabled()).isFalse();
        assertThat(root.getLevel()).isEqualTo(before);
        assertThatThrownBy(() -> Logging.level("org.jnfsd=LOUD")).isInstanceOf(DaemonException.class)
                .hasMessage("--log-level org.jnfsd=LOUD: expected TRACE, DEBUG, INFO, WARN or ERROR, after LOGGER=");
        assertThatThrownBy(() -> Logging.level("=DEBUG")).isInstanceOf(DaemonException.class);
    }

    @Test
    void logLevel_unknown_isOneLineError() {
        assertThatThrownBy(() -> Logging.level("LOUD")).isInstanceOf(DaemonException.class)
                .hasMessage("--log-level LOUD: expected TRACE, DEBUG, INFO, WARN or ERROR");
    }
}

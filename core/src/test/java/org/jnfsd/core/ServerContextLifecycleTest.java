package org.jnfsd.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerContext}'s settings reach the parts that use them, and its lifecycle: {@code close}
 * stops every executor it made and none it was given.
 */
class ServerContextLifecycleTest {
    private static final ExportTable EXPORTS = new ExportTable(List.of(new Export(1, "/", null)));

    @Test
    void config_teardownBoundAndCallbackSettings_reachTheTeardownAndTheChannels() {
        ServerConfig config = ServerConfig.builder()
                .teardownBound(Duration.ofMillis(1234))
                .cbTimeout(Duration.ofMillis(2345))
                .cbDelayRetryInterval(Duration.ofMillis(345))
                .cbMaxDelayRetries(7)
                .cbMaxSequenceRetries(8)
                .build();
        try (ServerContext context = new ServerContext(config, EXPORTS, Clock.systemUTC())) {
            assertThat(context.teardownBound()).isEqualTo(Duration.ofMillis(1234));
            assertThat(context.callbacks().settings())
                    .isEqualTo(new CallbackChannel.Settings(Duration.ofMillis(2345), Duration.ofMillis(345), 7, 8));
        }
    }

    @Test
    void config_defaults_tenSecondBoundAndTheChannelDefaults() {
        try (ServerContext context = new ServerContext(ServerConfig.defaults(), EXPORTS, Clock.systemUTC())) {
            assertThat(context.teardownBound()).isEqualTo(Duration.ofSeconds(10));
            assertThat(context.callbacks().settings()).isEqualTo(CallbackChannel.Settings.DEFAULT);
        }
    }

    @Test
    void close_ownExecutors_terminatedAndIdempotent() {
        ServerContext context = new ServerContext(ServerConfig.defaults(), EXPORTS, Clock.systemUTC());
        assertThat(context.terminated()).isFalse();

        context.close();
        context.close();

        assertThat(context.terminated()).isTrue();
    }

    @Test
    void close_givenExecutors_leftRunningForTheirOwner() {
        ExecutorService copies = Executors.newSingleThreadExecutor();
        ExecutorService teardowns = Executors.newSingleThreadExecutor();
        try {
            ServerContext context = new ServerContext(ServerConfig.defaults(), EXPORTS, Clock.systemUTC(),
                    new InMemoryRecoveryStore(), new ServerCounters(), copies, teardowns);

            context.close();

            assertThat(context.terminated()).isTrue();
            assertThat(copies.isShutdown()).isFalse();
            assertThat(teardowns.isShutdown()).isFalse();
        } finally {
            copies.shutdownNow();
            teardowns.shutdownNow();
        }
    }
}

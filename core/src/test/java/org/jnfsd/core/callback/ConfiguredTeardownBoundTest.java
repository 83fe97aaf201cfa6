package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A teardown bound set in {@link ServerConfig} is the one a real server's client teardown waits
 * for: a {@link ServerContext} whose threads the test holds (teardowns and callback queues inline,
 * timers on a manual scheduler that is also its clock) tears down a client with a callback kept in
 * flight past the kill (inside its {@code prepare}); the record is destroyed at the configured
 * bound, not a millisecond before, and not only at the default 10 s.
 */
class ConfiguredTeardownBoundTest {
    static final Duration BOUND = Duration.ofMillis(1234);

    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final ServerContext server = new ServerContext(ServerConfig.builder().teardownBound(BOUND).build(),
            new ExportTable(List.of(new Export(1, "/", null))), sched, new InMemoryRecoveryStore(),
            new ServerCounters(), new ServerContext.Threads(null, Runnable::run, Runnable::run, sched));

    @AfterEach
    void close() {
        server.close();
        assertThat(server.terminated()).isTrue();
    }

    @Test
    void configuredBound_reachesTheTeardown_destroyedAtItNotBefore() throws Exception {
        Principal p = new Principal("sys:1000@bound");
        ClientRecord c = server.sessions().exchangeId("bound".getBytes(StandardCharsets.UTF_8), new byte[8], p, false)
                .client();
        ChannelAttrs attrs = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);
        server.sessions().createSession(c, p, attrs, attrs, 0, 1, List.of(), null, ChannelDirection.FORE);
        CallbackChannel ch = server.callbacks().channelFor(c);
        ch.pathBound(new CallbackPath(new SessionId(new byte[16]), 2, 1, transport, () -> true));
        TestTransport.answerProbe(transport.last());
        List<Object> inPrepare = new ArrayList<>();
        LaundromatTeardownBoundTest.Preparing stuck = new LaundromatTeardownBoundTest.Preparing(() -> {
            assertThat(server.sessions().expireNow(c.id().value()).tearDownNow()).isTrue();
            server.teardown().tearDown(c); // as an admin eviction would: returns while the wait goes on
            inPrepare.add(c.state());
            sched.advance(BOUND.minusMillis(1));
            inPrepare.add(c.state());
            sched.advance(Duration.ofMillis(1));
            inPrepare.add(c.state());
        });

        ch.submit(stuck);

        assertThat(inPrepare).containsExactly(ClientRecord.State.EXPIRING, ClientRecord.State.EXPIRING,
                ClientRecord.State.DESTROYED);
        assertThat(stuck.releases).isEqualTo(1);
        assertThat(ch.inFlight()).isZero();
        assertThat(server.teardown().hookFailures()).isZero();
    }
}

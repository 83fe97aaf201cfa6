package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

/**
 * Row 02 through the real {@link ClientTeardown}, not only the channel: a recall in flight when the
 * client is torn down is released by KILL_CALLBACK_CHANNEL / WAIT_CALLBACKS_IN_FLIGHT before
 * DROP_TABLES drops the table its release touches. The step order itself is pinned by
 * {@code ClientTeardownTest.teardownStep_theDocumentedOrder}; this test pins why it matters: with
 * the kill moved after DROP_TABLES (the order issue 10 found untested), the release hits the
 * dropped table. The queue and the timers are manual; nothing waits in real time.
 */
class TeardownOrderRaceTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration BOUND = Duration.ofSeconds(30);

    final ManualExecutor queue = new ManualExecutor();
    final ManualExecutor teardownExecutor = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final FakeStateTable table = new FakeStateTable();

    @Test
    void race02_recallInFlight_clientTornDownThroughClientTeardown_releasedBeforeDropTables() throws Exception {
        ServerConfig config = ServerConfig.builder().build();
        SessionManager sessions = new SessionManager(config, new ManualClock(), 0x78, "jnfsd:test");
        Principal alice = new Principal("sys:1000@a");
        ClientRecord c = sessions.exchangeId("holder".getBytes(StandardCharsets.UTF_8), new byte[8], alice, false)
                .client();
        ChannelAttrs attrs = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);
        sessions.createSession(c, alice, attrs, attrs, 0, 1, List.of(), null, ChannelDirection.FORE);
        CallbackService service = new CallbackService(queue, sched, sched, SETTINGS);
        CallbackChannel ch = service.channelFor(c);
        ch.pathBound(new CallbackPath(new SessionId(new byte[16]), 1, 1, transport, () -> true));
        queue.runAll();
        TestTransport.answerProbe(transport.last());
        queue.runAll();

        TestCallback recall = TestCallback.recall(table, "deleg-1");
        recall.watched = ch;
        ch.submit(recall);
        queue.runAll();
        TestTransport.Call call = transport.last();

        List<TeardownStep> ran = new ArrayList<>();
        List<ClientStateHook> hooks = new ArrayList<>(new CallbackTeardownHook(service, BOUND).hooks());
        hooks.add(ClientStateHook.of(TeardownStep.DROP_TABLES, id -> {
            ran.add(TeardownStep.DROP_TABLES);
            assertThat(recall.releases).as("the recall was released before its table is dropped").isEqualTo(1);
            table.drop();
        }));
        ClientTeardown teardown = new ClientTeardown(sessions, hooks, teardownExecutor);

        CompletableFuture<Void> done = teardown.tearDown(c).toCompletableFuture();
        teardownExecutor.runAll();
        queue.runAll();
        teardownExecutor.runAll();

        assertThat(done).isDone();
        assertThat(ran).containsExactly(TeardownStep.DROP_TABLES);
        assertThat(teardown.hookFailures()).isZero();
        assertThat(((Failed) recall.outcome()).reason()).isEqualTo(Reason.KILLED);
        assertThat(recall.releases).isEqualTo(1);
        assertThat(recall.releasesAfterTeardown).isZero();

        TestTransport.reply(call, NfsStatus.NFS4_OK); // the client's answer comes after the teardown
        queue.runAll();
        sched.advance(Duration.ofMinutes(1));
        queue.runAll();
        assertThat(table.lateAccesses).as("state table touched after DROP_TABLES").isZero();
        assertThat(recall.releases).isEqualTo(1);
        ChannelChecks.assertQuiet(ch);
    }
}

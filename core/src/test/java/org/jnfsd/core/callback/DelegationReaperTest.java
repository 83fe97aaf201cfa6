package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationReaper;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CB_RECALL_ANY near the delegation limit ({@link DelegationReaper}) through a real channel whose
 * queue, clock and transport the test drives; rows 12 and 13 of callback-races.md with the real
 * callback rather than a stand-in.
 */
class DelegationReaperTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration LEASE = Duration.ofSeconds(90);
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final int LIMIT = 10;

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final ServerCounters counters = new ServerCounters();
    final ServerConfig config = ServerConfig.builder().leaseTime(LEASE).maxDelegations(LIMIT).build();
    final SessionManager sessions = new SessionManager(config, sched, 0x1234, "jnfsd:test");
    final CallbackService callbacks = new CallbackService(exec, sched, sched, SETTINGS);
    final DelegationTable table = new DelegationTable(sched, new StateIdAllocator(9), LEASE, Duration.ofSeconds(5),
            LIMIT, counters);
    final AtomicBoolean running = new AtomicBoolean(true);
    final DelegationReaper reaper = new DelegationReaper(table, callbacks, sched, INTERVAL, counters, running::get);
    ClientRecord client;
    CallbackChannel channel;

    @BeforeEach
    void clientWithUpChannel() throws Exception {
        Principal p = Principal.of(new Credential.AuthSys(0, "h", 1000, 1000, new int[0]));
        client = sessions.exchangeId("owner".getBytes(), new byte[8], p, false).client();
        channel = callbacks.channelFor(client);
        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 1, 1, transport, () -> true));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(CallbackChannel.State.UP);
    }

    private Delegation grant(int file) {
        return table.grantRead(client.id().value(), new FileHandle(1, new Inode(new byte[] {(byte) file}))).delegation();
    }

    private void grantAll(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(grant(i)).isNotNull();
        }
    }

    /** Whatever the test left: the channel's teardown completes without its bound, and nothing threw or leaked. */
    @AfterEach
    void channelEndsQuiet() {
        CompletableFuture<TeardownReport> td = channel.shutdownAsync(Duration.ofSeconds(30)).toCompletableFuture();
        exec.runAll();
        ChannelChecks.assertCompletedWithoutTheBound(td);
        ChannelChecks.assertQuiet(channel);
    }

    @Test
    void runOnce_belowHighWater_sendsNothing() {
        grantAll(8);

        assertThat(reaper.runOnce()).isZero();
        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
    }

    @Test
    void runOnce_atHighWater_recallAnyKeepHalfOfReadDelegations_oncePerClientPerInterval() {
        grantAll(9);

        assertThat(reaper.runOnce()).isEqualTo(1);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        CbRecallAnyArgs args = (CbRecallAnyArgs) transport.last().args.operations().get(1);
        assertThat(args.objectsToKeep()).isEqualTo(4);
        assertThat(args.typeMask()).containsExactly(1 << CbRecallAnyArgs.TYPE_RDATA_DLG);
        assertThat(counters.count(ServerEvent.CB_RECALL_ANY_SENT)).isEqualTo(1);
        assertThat(reaper.runOnce()).as("one in flight per client").isZero();

        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(reaper.inFlight()).isZero();
        assertThat(reaper.runOnce()).as("not again within the interval").isZero();
        sched.advance(INTERVAL);
        assertThat(reaper.runOnce()).isEqualTo(1);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(2);
        assertThat(counters.count(ServerEvent.CB_RECALL_ANY_SENT)).isEqualTo(2);
    }

    @Test
    void prepare_delegationsReturnedBeforeSend_skippedNotCounted() {
        List<Delegation> ds = java.util.stream.IntStream.range(0, 9).mapToObj(this::grant).toList();
        assertThat(reaper.runOnce()).isEqualTo(1);
        for (Delegation d : ds) {
            table.delegReturn(client.id().value(), d.file(), d.stateId());
        }

        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
        assertThat(counters.count(ServerEvent.CB_RECALL_ANY_SENT)).isZero();
        assertThat(reaper.inFlight()).isZero();
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race12_serverStopping_noRecallAny_andAKilledChannelIsNotUsed() {
        grantAll(9);
        running.set(false);
        assertThat(reaper.runOnce()).isZero();

        running.set(true);
        callbacks.killAsync(client.id(), Duration.ofSeconds(30));
        assertThat(reaper.runOnce()).isZero();
        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
        assertThat(reaper.inFlight()).as("nothing left pending for the dead channel").isZero();
    }

    @Test
    void race13_recallAnyNeverAnswered_clientNotBusy_teardownReleasesItOnce() {
        List<Delegation> ds = java.util.stream.IntStream.range(0, 9).mapToObj(this::grant).toList();
        assertThat(reaper.runOnce()).isEqualTo(1);
        exec.runAll();
        assertThat(transport.unanswered()).hasSize(1);
        for (Delegation d : ds) {
            table.delegReturn(client.id().value(), d.file(), d.stateId());
        }
        ClientTeardown teardown = new ClientTeardown(sessions,
                java.util.stream.Stream.concat(java.util.stream.Stream.of(table),
                        new CallbackTeardownHook(callbacks, Duration.ofSeconds(30)).hooks().stream()).toList());

        assertThat(teardown.hasState(client.id().value())).as("a CB_RECALL_ANY in flight is not client state").isFalse();
        teardown.tearDown(client);
        exec.runAll();

        assertThat(channel.state()).isEqualTo(CallbackChannel.State.KILLED);
        assertThat(channel.inFlight()).isZero();
        assertThat(reaper.inFlight()).isZero();
        // a late reply to the killed call changes nothing
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(reaper.inFlight()).isZero();
        assertThat(teardown.hookFailures()).as("no release ran twice").isZero();
    }
}

package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackChannel.Submitted;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.delegation.RecallCallback;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rows 06, 12, 13 and 16 of {@code callback-races.md} again, with the real delegation objects
 * ({@link Delegation}, {@link DelegationTable}, {@link RecallCallback}) on a {@link CallbackChannel}
 * whose queue ({@link ManualExecutor}), time ({@link ManualScheduler}, also the table's clock) and
 * transport ({@link TestTransport}) the test drives. {@link CallbackRacesTest} has the same rows
 * with a stand-in callback. Each recall is wrapped in {@link Counted}, which counts the steps the
 * channel runs and passes them on to the real {@link RecallCallback} (whose own release refuses
 * a second run).
 */
class DelegationRacesTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration LEASE = Duration.ofSeconds(90);
    static final Duration COOLDOWN = Duration.ofSeconds(5);
    static final Duration TEARDOWN_BOUND = Duration.ofSeconds(30);
    static final SessionId SESSION = new SessionId(new byte[16]);
    static final long HOLDER = 1;
    static final long CONFLICTING = 2;
    static final FileHandle FILE = new FileHandle(1, new Inode(new byte[] {4, 2}));

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final DelegationTable table = new DelegationTable(sched, new StateIdAllocator(7), LEASE, COOLDOWN, 10);
    final CallbackChannel channel = new CallbackChannel("holder", exec, sched, sched, SETTINGS);
    final List<Counted> recalls = new ArrayList<>();

    /** A real callback as the channel sees it, counting its steps and passing each one on. */
    static final class Counted extends Callback {
        final Callback inner;
        final List<CallbackOutcome> outcomes = new ArrayList<>();
        final List<CbArgs> prepared = new ArrayList<>();
        int prepares;
        int releases;

        Counted(Callback inner) {
            super(inner.kind());
            this.inner = inner;
        }

        @Override
        public String subject() {
            return inner.subject();
        }

        @Override
        protected Optional<CbArgs> prepare() {
            prepares++;
            Optional<CbArgs> a = inner.prepare();
            a.ifPresent(prepared::add);
            return a;
        }

        @Override
        protected boolean stillNeeded() {
            return inner.stillNeeded();
        }

        @Override
        protected void sent() {
            inner.sent();
        }

        @Override
        protected void done(CallbackOutcome outcome) {
            outcomes.add(outcome);
            inner.done(outcome);
        }

        @Override
        protected void release() {
            releases++;
            inner.release();
        }

        CallbackOutcome outcome() {
            return outcomes.isEmpty() ? null : outcomes.getLast();
        }
    }

    void up() {
        channel.pathBound(new CallbackPath(SESSION, 2, 1, transport, () -> true));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    Delegation grant() {
        return table.grantRead(HOLDER, FILE).delegation();
    }

    /** A conflicting request: recalls HOLDER's delegation, queueing the real recall on the channel. */
    List<Submitted> conflict() {
        List<Submitted> submitted = new ArrayList<>();
        boolean inTheWay = table.recallConflicting(CONFLICTING, FILE, d -> {
            Counted c = new Counted(new RecallCallback(d, table));
            recalls.add(c);
            submitted.add(channel.submit(c));
        });
        assertThat(inTheWay).as("the conflicting request gets NFS4ERR_DELAY").isTrue();
        return submitted;
    }

    TeardownReport killChannel() {
        CompletableFuture<TeardownReport> td = channel.shutdownAsync(TEARDOWN_BOUND).toCompletableFuture();
        exec.runAll();
        return ChannelChecks.assertCompletedWithoutTheBound(td);
    }

    /**
     * Whatever the test left: the channel's teardown (idempotent if the test killed it) completes
     * without its bound, and afterwards no callback step threw, no slot is held, nothing is in
     * flight, checked before any time passes.
     */
    @AfterEach
    void channelEndsQuiet() {
        killChannel();
        ChannelChecks.assertQuiet(channel);
    }

    /** Every recall ran done and release exactly once, nothing is in flight, nothing is live. */
    void assertAllSettled() {
        for (TestTransport.Call c : transport.unanswered()) {
            TestTransport.reply(c, NfsStatus.NFS4_OK); // late replies are dropped
        }
        exec.runAll();
        sched.advance(Duration.ofMinutes(10));
        exec.runAll();
        for (Counted c : recalls) {
            assertThat(c.releases).as("%s released exactly once", c).isEqualTo(1);
            assertThat(c.outcomes).as("%s done exactly once", c).hasSize(1);
            assertThat(c.isRunning()).as("%s token cleared", c).isFalse();
        }
        ChannelChecks.assertQuiet(channel);
    }

    // ---- row 06: recall retried against a delegation already returned or revoked

    @Test
    void race06_recallQueuedThenDelegationReturned_prepareSendsNothing_releasedOnce() {
        up();
        Delegation d = grant();
        assertThat(conflict()).containsExactly(Submitted.QUEUED);

        assertThat(table.delegReturn(HOLDER, FILE, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        exec.runAll();

        Counted r = recalls.getFirst();
        assertThat(r.outcome()).isEqualTo(new CallbackOutcome.Skipped());
        assertThat(transport.compounds()).as("nothing sent for a returned delegation").isEmpty();
        assertThat(table.liveCount()).isZero();
        assertAllSettled();
    }

    @Test
    void race06_recallQueuedThenDelegationRevokedByTheReaper_prepareSendsNothing_releasedOnce() {
        up();
        Delegation d = grant();
        conflict();
        sched.advance(LEASE);

        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        exec.runAll();

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(recalls.getFirst().outcome()).isEqualTo(new CallbackOutcome.Skipped());
        assertThat(transport.compounds()).isEmpty();
        assertAllSettled();
    }

    @Test
    void race06_recallAnsweredDelayThenDelegationReturned_notResent_releasedOnce() {
        up();
        Delegation d = grant();
        conflict();
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        CbRecallArgs sent = (CbRecallArgs) recalls.getFirst().prepared.getFirst();
        assertThat(sent.stateId()).isEqualTo(d.stateId());
        assertThat(sent.fileHandle()).isEqualTo(FILE.toBytes());

        TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        assertThat(table.delegReturn(HOLDER, FILE, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        for (int i = 0; i < 10 * SETTINGS.maxDelayRetries(); i++) {
            sched.advance(SETTINGS.delayRetryInterval());
            exec.runAll();
            if (!transport.unanswered().isEmpty()) {
                TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
                exec.runAll();
            }
        }

        assertThat(transport.compounds()).as("returned meanwhile: not resent").hasSize(1);
        assertThat(recalls.getFirst().outcome()).isEqualTo(new CallbackOutcome.Skipped());
        assertThat(recalls.getFirst().prepares).isEqualTo(1);
        assertAllSettled();
    }

    // ---- row 12: the delegation reaper running while client state is torn down

    @Test
    void race12_recallInFlight_teardownRevokesThenReaperRuns_nothingRevokedTwice() {
        up();
        Delegation d = grant();
        conflict();
        exec.runAll();
        assertThat(channel.inFlight()).isEqualTo(1);

        table.releaseClient(HOLDER); // REVOKE_DELEGATIONS
        sched.advance(LEASE);
        int reaped = table.revokeExpiredRecalls(); // the reaper, between two teardown steps
        TeardownReport r = killChannel(); // KILL_CALLBACK_CHANNEL

        assertThat(reaped).as("the torn-down client's delegation is gone from the reaper's view").isZero();
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.liveCount()).as("revoked once, counted once").isZero();
        assertThat(table.hasState(HOLDER)).isFalse();
        assertThat(r.killed()).isEqualTo(1);
        assertThat(r.forceReleased()).isEmpty();
        assertThat(((Failed) recalls.getFirst().outcome()).reason()).isEqualTo(Reason.KILLED);
        assertAllSettled();
    }

    @Test
    void race12_recallInFlight_reaperRevokesThenTeardown_forgottenOnceNoLateAccess() {
        up();
        Delegation d = grant();
        conflict();
        exec.runAll();
        sched.advance(LEASE);

        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        table.releaseClient(HOLDER);
        killChannel();
        TestTransport.reply(transport.compounds().getFirst(), NfsStatus.NFS4_OK); // the client's late answer
        exec.runAll();

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.liveCount()).isZero();
        assertThat(table.hasState(HOLDER)).isFalse();
        assertThat(table.find(HOLDER, d.stateId())).isNull();
        assertAllSettled();
    }

    // ---- row 13: a callback in flight neither makes the client busy nor keeps it from expiring

    @Test
    void race13_recallInFlight_clientNotBusyAfterReturn_andStillExpires() throws Exception {
        ServerConfig config = ServerConfig.builder().leaseTime(LEASE).maxCourtesyTime(LEASE).build();
        // leases on a clock of their own: the recall stays in flight (no call timeout) while leases lapse
        ManualClock leaseClock = new ManualClock();
        SessionManager sessions = new SessionManager(config, leaseClock, 0x77, "jnfsd:test");
        Principal alice = new Principal("sys:1000@a");
        ClientRecord c = sessions.exchangeId("holder".getBytes(StandardCharsets.UTF_8), new byte[8], alice, false)
                .client();
        ChannelAttrs attrs = new ChannelAttrs(0, 4096, 4096, 1024, 8, 2, null);
        sessions.createSession(c, alice, attrs, attrs, 0, 1, List.of(), null, ChannelDirection.FORE);
        // the channel runs on the calling thread here, so the teardown hook's kill completes inline
        CallbackService service = new CallbackService(Runnable::run, sched, sched, SETTINGS);
        CallbackChannel ch = service.channelFor(c);
        ch.pathBound(new CallbackPath(SESSION, 2, 1, transport, () -> true));
        TestTransport.answerProbe(transport.last());
        DelegationTable delegations = new DelegationTable(sched, new StateIdAllocator(8), LEASE, COOLDOWN, 10);
        ClientTeardown teardown = new ClientTeardown(sessions,
                java.util.stream.Stream.concat(java.util.stream.Stream.of(delegations),
                        new CallbackTeardownHook(service, TEARDOWN_BOUND).hooks().stream()).toList());
        long id = c.id().value();
        Delegation d = delegations.grantRead(id, FILE).delegation();
        delegations.recallConflicting(CONFLICTING, FILE, x -> {
            Counted r = new Counted(new RecallCallback(x, delegations));
            recalls.add(r);
            ch.submit(r);
        });
        assertThat(ch.inFlight()).isEqualTo(1);

        // the client returns the delegation but its CB_RECALL reply never comes
        assertThat(delegations.delegReturn(id, FILE, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(teardown.hasState(id)).as("a callback in flight is not client state").isFalse();
        assertThat(ch.inFlight()).isEqualTo(1);

        leaseClock.advance(LEASE.plusSeconds(1));
        SessionManager.Sweep courtesy = sessions.sweep();
        assertThat(c.state()).as("the lease lapses despite the recall in flight").isEqualTo(ClientRecord.State.COURTESY);
        assertThat(courtesy.tearDownNow()).isEmpty();
        leaseClock.advance(LEASE.plusSeconds(1));
        SessionManager.Sweep expiry = sessions.sweep();
        assertThat(ch.inFlight()).as("the recall is still in flight when the client expires").isEqualTo(1);
        assertThat(expiry.tearDownNow()).containsExactly(c);
        expiry.tearDownNow().forEach(teardown::tearDown);

        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(teardown.hookFailures()).isZero();
        assertThat(service.channel(new ClientId(id))).isNull();
        assertThat(ch.state()).isEqualTo(State.KILLED);
        ChannelChecks.assertQuiet(ch);
        assertThat(recalls.getFirst().releases).isEqualTo(1);
        assertThat(((Failed) recalls.getFirst().outcome()).reason()).isEqualTo(Reason.KILLED);
    }

    // ---- row 16: queueing the recall fails

    @Test
    void race16_channelKilledBeforeTheRecallIsQueued_refusedReleasedOnce_delegationRevokedAfterALease() {
        up();
        Delegation d = grant();
        killChannel();

        assertThat(conflict()).containsExactly(Submitted.REFUSED);

        Counted r = recalls.getFirst();
        assertThat(r.releases).as("the reference is dropped at once").isEqualTo(1);
        assertThat(r.outcome()).isInstanceOf(Failed.class);
        assertThat(channel.inFlight()).isZero();
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        sched.advance(LEASE.minusSeconds(1));
        assertThat(table.revokeExpiredRecalls()).isZero();
        sched.advance(Duration.ofSeconds(1));
        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.liveCount()).isZero();
        assertAllSettled();
    }

    @Test
    void race16_executorRejectsTheRecall_refusedReleasedOnce_delegationRevokedAfterALease() {
        up();
        Delegation d = grant();
        exec.rejecting = true;

        assertThat(conflict()).containsExactly(Submitted.REFUSED);
        exec.rejecting = false;

        Counted r = recalls.getFirst();
        assertThat(r.releases).isEqualTo(1);
        assertThat(((Failed) r.outcome()).reason()).isEqualTo(Reason.QUEUE_REJECTED);
        assertThat(channel.inFlight()).isZero();
        sched.advance(LEASE);
        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertAllSettled();
    }

    @Test
    void race16_recallForAfterTheChannelIsGone_noRecallQueued_delegationRevokedAfterALease() throws Exception {
        ServerConfig config = ServerConfig.builder().leaseTime(LEASE).build();
        SessionManager sessions = new SessionManager(config, sched, 0x78, "jnfsd:test");
        ClientRecord c = sessions.exchangeId("holder".getBytes(StandardCharsets.UTF_8), new byte[8],
                new Principal("sys:1000@a"), false).client();
        CallbackService service = new CallbackService(exec, sched, sched, SETTINGS);
        service.channelFor(c);
        CompletableFuture<TeardownReport> killed = service.killAsync(c.id(), TEARDOWN_BOUND).toCompletableFuture();
        exec.runAll();
        assertThat(killed).isDone();
        Delegation d = table.grantRead(c.id().value(), FILE).delegation();

        assertThat(table.recallFor(CONFLICTING, FILE, service)).isTrue();

        assertThat(service.inFlightTotal()).isZero();
        sched.advance(LEASE);
        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.liveCount()).isZero();
    }
}

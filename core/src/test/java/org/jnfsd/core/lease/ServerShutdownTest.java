package org.jnfsd.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.callback.ManualScheduler;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * Server shutdown's client part without sockets: every client record expires, is torn down in the
 * declared order with its delegations revoked and its recovery record kept, and no new client
 * record can be made. Teardowns run on the calling thread (a direct executor); both bounds run on
 * a manual scheduler, so a stuck teardown or callback is reported exactly at its bound and no
 * test waits in real time (the TCP test covers a recall in flight).
 */
class ServerShutdownTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration BOUND = Duration.ofSeconds(5);
    private final ManualClock clock = new ManualClock();
    private final ServerConfig config = ServerConfig.builder().leaseTime(LEASE).maxDelegations(10).build();
    private final SessionManager sessions = new SessionManager(config, clock, 0x5678, "jnfsd:test");
    private final DelegationTable delegations = new DelegationTable(clock, new StateIdAllocator(3), LEASE,
            Duration.ofSeconds(5), 10);
    private final List<String> steps = new ArrayList<>();
    private final Principal alice = Principal.of(new Credential.AuthSys(0, "h", 1000, 1000, new int[0]));
    private final Executor direct = Runnable::run;
    /** The bounds of shutdown and of the callback channels, stepped by hand. */
    private final ManualScheduler timers = new ManualScheduler();
    private final CallbackService callbacks = new CallbackService(direct, timers, clock, CallbackChannel.Settings.DEFAULT);
    private final ClientTeardown teardown = new ClientTeardown(sessions,
            List.of(delegations, recording(TeardownStep.RELEASE_OPENS), recording(TeardownStep.FORGET_RECOVERY_RECORD)));
    private final ServerShutdown shutdown = new ServerShutdown(sessions, teardown, callbacks, timers);

    private ClientStateHook recording(TeardownStep step) {
        return new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return step;
            }

            @Override
            public void releaseClient(long clientId) {
                steps.add(step + ":" + Long.toHexString(clientId));
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        };
    }

    private ClientRecord client(String owner) throws NfsException {
        return sessions.exchangeId(owner.getBytes(), new byte[8], alice, false).client();
    }

    @Test
    void run_clientsWithDelegations_allTornDownDelegationsRevokedRecoveryRecordsKept() throws Exception {
        ClientRecord a = client("a");
        ClientRecord b = client("b");
        FileHandle f = new FileHandle(1, new Inode(new byte[] {1}));
        Delegation da = delegations.grantRead(a.id().value(), f).delegation();
        Delegation db = delegations.grantRead(b.id().value(), f).delegation();

        ServerShutdown.Report r = shutdown.run(BOUND);

        assertThat(r.clientsTornDown()).isEqualTo(2);
        assertThat(r.stuckClients()).isEmpty();
        assertThat(r.forceReleasedCallbacks()).isEmpty();
        assertThat(List.of(da.state(), db.state())).containsOnly(Delegation.State.REVOKED);
        assertThat(delegations.hasState(a.id().value()) || delegations.hasState(b.id().value())).isFalse();
        assertThat(delegations.liveCount()).isZero();
        assertThat(steps).containsExactlyInAnyOrder("RELEASE_OPENS:" + Long.toHexString(a.id().value()),
                "RELEASE_OPENS:" + Long.toHexString(b.id().value()));
        assertThat(List.of(a.state(), b.state())).containsOnly(ClientRecord.State.DESTROYED);
        assertThat(sessions.clients()).isEmpty();
    }

    @Test
    void run_thenExchangeId_delayNoNewRecord() throws Exception {
        shutdown.run(BOUND);

        assertThatThrownBy(() -> client("late")).isInstanceOf(NfsException.class)
                .extracting(e -> ((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(sessions.clients()).isEmpty();
    }

    @Test
    void run_clientWithCompoundInFlight_tornDownByItsLastCompound_recordStillKept() throws Exception {
        ClientRecord a = client("a");
        assertThat(sessions.beginCompound(a)).isTrue();

        ServerShutdown.Report r = shutdown.run(BOUND);

        assertThat(r.clientsTornDown()).isZero();
        assertThat(a.state()).isEqualTo(ClientRecord.State.EXPIRING);
        assertThat(sessions.beginCompound(a)).as("new work refused").isFalse();
        assertThat(sessions.endCompound(a)).as("the last compound out tears it down").isTrue();
        teardown.tearDown(a);
        assertThat(steps).containsExactly("RELEASE_OPENS:" + Long.toHexString(a.id().value()));
        assertThat(a.state()).isEqualTo(ClientRecord.State.DESTROYED);
    }

    @Test
    void tearDown_serving_forgetsRecoveryRecord() throws Exception {
        ClientRecord a = client("a");

        teardown.tearDown(a);

        assertThat(steps).containsExactly("RELEASE_OPENS:" + Long.toHexString(a.id().value()),
                "FORGET_RECOVERY_RECORD:" + Long.toHexString(a.id().value()));
    }

    @Test
    void run_twice_secondFindsNothing() {
        shutdown.run(BOUND);

        assertThat(shutdown.run(BOUND)).isEqualTo(new ServerShutdown.Report(0, List.of(), List.of()));
    }

    @Test
    void start_oneTeardownNeverEnds_reportedStuckExactlyAtTheBound_theOtherTornDown() throws Exception {
        ClientRecord a = client("a");
        ClientRecord b = client("b");
        long stuckId = a.id().value();
        ClientStateHook neverForA = new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return TeardownStep.RELEASE_LOCKS;
            }

            @Override
            public CompletionStage<Void> release(long clientId) {
                return clientId == stuckId ? new CompletableFuture<>() : CompletableFuture.completedStage(null);
            }

            @Override
            public void releaseClient(long clientId) {
                throw new AssertionError("release(long) is the step");
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        };
        ServerShutdown s = new ServerShutdown(sessions, new ClientTeardown(sessions, List.of(neverForA)), callbacks,
                timers);

        CompletableFuture<ServerShutdown.Report> f = s.start(BOUND).toCompletableFuture();
        timers.advance(BOUND.minusMillis(1));
        assertThat(f).as("the bound has not passed").isNotDone();
        timers.advance(Duration.ofMillis(1));

        assertThat(f).isDone();
        ServerShutdown.Report r = f.join();
        assertThat(r.stuckClients()).containsExactly(a.toString());
        assertThat(r.clientsTornDown()).isEqualTo(1);
        assertThat(b.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(timers.pendingTimers()).as("no timer left behind").isZero();
    }

    @Test
    void start_whileACallbackIsInPrepare_forceReleasedAtTheBoundAndNamed_releasedOnceAfter() throws Exception {
        List<Runnable> queue = new ArrayList<>();
        CallbackService held = new CallbackService(queue::add, timers, clock, CallbackChannel.Settings.DEFAULT);
        ServerShutdown s = new ServerShutdown(sessions, teardown, held, timers);
        ClientRecord a = client("a");
        List<CompletableFuture<ServerShutdown.Report>> started = new ArrayList<>();
        int[] releases = {0};
        held.channelFor(a).submit(new Callback("CB_RECALL") {
            @Override
            public String subject() {
                return "deleg-1";
            }

            @Override
            protected Optional<CbArgs> prepare() {
                // shutdown starts while this step runs (re-entrantly, no threads), and its bounds pass
                CompletableFuture<ServerShutdown.Report> f = s.start(BOUND).toCompletableFuture();
                started.add(f);
                timers.advance(BOUND.minusMillis(1));
                assertThat(f).as("the channel waits for its callback, bounded").isNotDone();
                timers.advance(Duration.ofSeconds(2));
                return Optional.empty();
            }

            @Override
            protected void done(CallbackOutcome outcome) {
                // nothing to record
            }

            @Override
            protected void release() {
                releases[0]++;
            }
        });
        assertThat(queue).hasSize(1);
        queue.remove(0).run();
        while (!queue.isEmpty()) {
            queue.remove(0).run();
        }

        ServerShutdown.Report r = started.getFirst().join();
        assertThat(r.clientsTornDown()).isEqualTo(1);
        assertThat(r.stuckClients()).isEmpty();
        assertThat(r.forceReleasedCallbacks()).singleElement().asString().contains("CB_RECALL", "deleg-1", "prepare");
        assertThat(held.inFlightTotal()).isZero();
        assertThat(releases[0]).as("the late step's release runs once").isEqualTo(1);
    }
}

package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.ConflictResolver;
import org.jnfsd.core.state.LockQuery;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.lock.ConflictingClients;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.core.state.lock.LockNotifier;
import org.jnfsd.core.state.lock.LockOutcome;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.core.state.lock.ReclaimPolicy;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CB_NOTIFY_LOCK end to end inside the core: the lock manager frees a range, {@link LockNotifier}
 * queues the notification on the waiting client's real {@link CallbackChannel}, and the test runs
 * the client's queue ({@link ManualExecutor}), moves time ({@link ManualScheduler}) and answers or
 * fails each call ({@link TestTransport}). Every test checks that the callback was released (the
 * channel's in-flight count is back to 0) and that no notification reaches a client being torn down.
 */
class NotifyLockTest {
    private static final Duration WINDOW = Duration.ofSeconds(90);
    private static final Duration TEARDOWN_BOUND = Duration.ofSeconds(30);
    private static final long A = 0xA;
    private static final long B = 0xB;
    private static final long C = 0xC;
    private static final LockRange ALL = new LockRange(0, LockRange.TO_EOF);

    private final ManualExecutor exec = new ManualExecutor();
    private final ManualScheduler sched = new ManualScheduler();
    private final TestTransport transport = new TestTransport();
    private final CallbackChannel channel = new CallbackChannel("client-B", exec, sched, sched, ChannelRaceFixture.SETTINGS);
    private final Map<Long, CallbackChannel> channels = new HashMap<>();
    private final Set<Long> live = new HashSet<>(Set.of(A, B, C));
    private final AtomicInteger sent = new AtomicInteger();
    private final StateIdAllocator ids = new StateIdAllocator(0x10C);
    private final OpenStates opens = new OpenStates(ServerConfig.defaults(), sched, ids, LockQuery.NONE,
            ConflictResolver.NONE);
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {4}));
    private LockManager locks;

    @BeforeEach
    void setUp() {
        LockNotifier notifier = new LockNotifier(channels::get, live::contains,
                (owner, f) -> locks.isWaiting(owner, f), sent::incrementAndGet);
        locks = new LockManager(opens, ids, sched, WINDOW, ConflictingClients.NEVER, ReclaimPolicy.NO_GRACE, notifier);
        channels.put(B, channel);
        channels.put(C, channel);
        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 1, 1, transport, () -> true));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(CallbackChannel.State.UP);
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
    void unlock_waiterOfAnotherClient_cbNotifyLockWithItsOwnerAndFile_countedAndReleased() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        assertThat(transport.compounds()).isEmpty();

        locks.unlock(A, file, a, ALL);
        assertThat(channel.inFlight()).isEqualTo(1); // queued, not yet run: counted
        exec.runAll();

        assertThat(transport.compounds()).hasSize(1);
        CbNotifyLockArgs args = notifyArgs(transport.compounds().get(0));
        assertThat(args.fileHandle()).isEqualTo(org.jnfsd.core.fs.HandleKey.processKey().seal(file));
        assertThat(args.clientId()).isEqualTo(B);
        assertThat(new String(args.owner(), StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(sent).hasValue(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(sent).hasValue(1);
        assertThat(channel.inFlight()).isZero();
        // the client retries its LOCK and gets it
        granted(lock(B, "b", true));
    }

    @Test
    void notify_waiterTookTheLockBeforeTheQueueRan_nothingSent_released() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        locks.unlock(A, file, a, ALL);
        granted(lock(B, "b", true)); // B polled first

        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
        assertThat(sent).hasValue(0);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void notify_callFails_countedOnceAsSent_released_clientPollsInstead() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        locks.unlock(A, file, a, ALL);
        exec.runAll();
        TestTransport.fail(transport.last());
        exec.runAll();

        assertThat(sent).hasValue(1);
        assertThat(channel.inFlight()).isZero();
        granted(lock(B, "b", true));
    }

    @Test
    void clientTornDownWhileWaiting_thenRangeFreed_noNotify_nothingLeaks() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        tearDown(B);

        locks.unlock(A, file, a, ALL);
        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
        assertThat(channel.inFlight()).isZero();
        assertThat(locks.waiterCount(file)).isZero();
        assertThat(locks.isTracked(file)).isFalse();
    }

    @Test
    void notifyQueued_thenClientTornDown_prepareSendsNothing_releasedOnce() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        locks.unlock(A, file, a, ALL); // queued on B's channel, not run yet
        assertThat(channel.inFlight()).isEqualTo(1);

        // teardown begins: the record is unhashed (not live) before any state is released
        live.remove(B);
        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
        assertThat(channel.inFlight()).isZero();
        tearDown(B);
        assertThat(locks.isTracked(file)).isFalse();
    }

    @Test
    void notifySent_thenClientTornDown_callCancelled_releasedOnce_lateReplyDropped() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        locks.unlock(A, file, a, ALL);
        exec.runAll();
        TestTransport.Call call = transport.last();
        assertThat(transport.unanswered()).containsExactly(call);

        TeardownReport report = tearDown(B);

        assertThat(report.forceReleased()).isEmpty();
        assertThat(channel.inFlight()).isZero();
        TestTransport.reply(call, NfsStatus.NFS4_OK); // the client's late answer
        exec.runAll();
        assertThat(sent).hasValue(1);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void reapExpiredWaiters_theWaiterAheadNeverRetried_nextWaiterNotified() throws NfsException {
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        sched.advance(Duration.ofSeconds(1));
        denied(lock(C, "c", true));
        locks.unlock(A, file, a, ALL);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(notifiedOwners()).containsExactly("b");

        // B never comes back: its reservation ends one window after its request, then C is told
        sched.advance(WINDOW.minusSeconds(1));
        locks.reapExpiredWaiters(sched.instant());
        exec.runAll();

        assertThat(notifiedOwners()).containsExactly("b", "c");
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(sent).hasValue(2);
        assertThat(channel.inFlight()).isZero();
        granted(lock(C, "c", true));
    }

    @Test
    void waiterWithoutCallbackChannel_nothingQueued_stillGetsTheLockByPolling() throws NfsException {
        channels.remove(B);
        StateId a = granted(lock(A, "a", false));
        denied(lock(B, "b", true));
        locks.unlock(A, file, a, ALL);
        exec.runAll();

        assertThat(transport.compounds()).isEmpty();
        assertThat(channel.inFlight()).isZero();
        granted(lock(B, "b", true));
    }

    // --- helpers ------------------------------------------------------------------------------

    /** The teardown order for B: unhash, release opens then locks, kill the channel (bounded). */
    private TeardownReport tearDown(long client) {
        live.remove(client);
        opens.releaseClient(client);
        locks.releaseClient(client);
        CompletableFuture<TeardownReport> td = channel.shutdownAsync(TEARDOWN_BOUND).toCompletableFuture();
        exec.runAll();
        return ChannelChecks.assertCompletedWithoutTheBound(td);
    }

    private List<String> notifiedOwners() {
        return transport.compounds().stream()
                .map(c -> new String(notifyArgs(c).owner(), StandardCharsets.UTF_8)).toList();
    }

    private static CbNotifyLockArgs notifyArgs(TestTransport.Call c) {
        return (CbNotifyLockArgs) c.args.operations().get(1);
    }

    /** A write lock on the whole file by a new lock owner, through the client's open (made when needed). */
    private LockOutcome lock(long client, String owner, boolean blocking) throws NfsException {
        StateId open = opens.open(client, new OpenOwner(client, "open".getBytes(StandardCharsets.UTF_8)), file,
                ACCESS_BOTH, DENY_NONE).stateId();
        return locks.lockNewOwner(client, file, open, new OpenOwner(client, owner.getBytes(StandardCharsets.UTF_8)),
                true, blocking, false, ALL);
    }

    private static StateId granted(LockOutcome o) {
        assertThat(o).isInstanceOf(LockOutcome.Granted.class);
        return ((LockOutcome.Granted) o).stateId();
    }

    private static void denied(LockOutcome o) {
        assertThat(o).isInstanceOf(LockOutcome.Denied.class);
    }
}

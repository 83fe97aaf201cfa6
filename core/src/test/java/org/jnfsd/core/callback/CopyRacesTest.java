package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.core.copy.Copies;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.copy.CopyState;
import org.jnfsd.core.copy.DuringCopy;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rows 04 and 20 of {@code callback-races.md} with a real async copy ({@link Copies}) and its real
 * CB_OFFLOAD on a real {@link CallbackChannel}: the test runs the copy tasks and the client's
 * callback queue ({@link ManualExecutor}), moves time ({@link ManualScheduler}) and answers or
 * drops each call ({@link TestTransport}). Every test ends with the client's teardown in the
 * declared order (STOP_COPIES, then the channel's kill, drain and wait) and checks that it
 * completes, that in-flight is 0 and that no copy task is left.
 */
class CopyRacesTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration KEEP = Duration.ofSeconds(5);
    static final Duration TEARDOWN_BOUND = Duration.ofSeconds(30);
    static final SessionId SESSION = new SessionId(new byte[16]);
    static final SessionId OTHER_SESSION = new SessionId(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    static final long CLIENT = 0xC1;
    static final int SIZE = 250;

    final ManualExecutor queue = new ManualExecutor();
    final ManualExecutor copyTasks = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final FakeStateTable table = new FakeStateTable();
    final CallbackChannel channel = new CallbackChannel("client-1", queue, sched, sched, SETTINGS);
    final ServerCounters counters = new ServerCounters();
    final MemoryFileSystem fs = new MemoryFileSystem(sched, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
    final List<TestCallback> others = new ArrayList<>();
    boolean tornDown;
    int files;
    /** Whether the first path still has a back connection. */
    boolean connectedOnlyBefore = true;

    Copies copies = copies(copyTasks);

    Copies copies(java.util.concurrent.Executor executor) {
        return new Copies(new StateIdAllocator(7), new CopyEngine(100), executor, sched, sched, counters,
                new Copies.Settings(4, 64, KEEP, Duration.ofSeconds(10)), id -> id == CLIENT ? channel : null);
    }

    void up(int slots) {
        channel.pathBound(new CallbackPath(SESSION, slots, 2, transport, () -> connectedOnlyBefore));
        queue.runAll();
        TestTransport.answerProbe(transport.last());
        queue.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    AsyncCopy.Request request(VirtualFileSystem f) throws Exception {
        files++;
        Inode src = fs.createFile(fs.root(), "src" + files, SetAttributes.NONE.withMode(0666), true);
        byte[] b = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            b[i] = (byte) (i + 3);
        }
        fs.write(src, 0, ByteBuffer.wrap(b), Stability.FILE_SYNC);
        Inode dst = fs.createFile(fs.root(), "dst" + files, SetAttributes.NONE.withMode(0666), true);
        return new AsyncCopy.Request(f, src, 0, dst, 0, SIZE, new byte[] {4, 2}, new byte[] {8, 7, 6, 5, 4, 3, 2, 1});
    }

    /** A callback holding the only slot, never answered. */
    TestCallback holdTheOnlySlot() {
        TestCallback first = TestCallback.recall(table, "first");
        others.add(first);
        channel.submit(first);
        queue.runAll();
        assertThat(transport.compounds()).hasSize(1);
        return first;
    }

    /**
     * STOP_COPIES, then the callback channel's kill / drain / wait, and the table dropped the moment
     * that stage completes (chained on it, before the queue runs); nothing left for the bound.
     */
    void teardown() {
        copies.releaseClient(CLIENT);
        CompletableFuture<TeardownReport> td = ChannelChecks.killThenDrop(channel, TEARDOWN_BOUND, table::drop);
        queue.runAll();
        tornDown = true;
        ChannelChecks.assertCompletedWithoutTheBound(td);
        ChannelChecks.assertQuiet(channel); // before any time passes
    }

    @AfterEach
    void checkAfterTeardown() {
        if (!tornDown) {
            teardown();
        }
        for (TestTransport.Call c : transport.calls) {
            if (!c.reply.isDone()) {
                TestTransport.reply(c, NfsStatus.NFS4_OK); // late replies
            }
        }
        queue.runAll();
        copyTasks.runAll();
        sched.advance(Duration.ofMinutes(10));
        queue.runAll();
        for (TestCallback cb : others) {
            assertThat(cb.releases).as("%s released exactly once", cb).isEqualTo(1);
        }
        ChannelChecks.assertQuiet(channel);
        assertThat(channel.state()).isEqualTo(State.KILLED);
        assertThat(copies.running()).as("no copy task left").isZero();
        assertThat(copies.size()).as("no copy left visible").isZero();
        assertThat(table.lateAccesses).isZero();
        fs.close();
    }

    static CbOffloadArgs offloadArgs(TestTransport.Call call) {
        return (CbOffloadArgs) call.args.operations().get(1);
    }

    long sent() {
        return counters.snapshot().get(ServerEvent.CB_OFFLOAD_SENT.meterName());
    }

    /** The client binds a new back connection after its path went DOWN, and the probe is answered. */
    void rebind() {
        channel.pathBound(new CallbackPath(SESSION, 1, 2, transport, () -> true));
        queue.runAll();
        TestTransport.answerProbe(transport.last());
        queue.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    /** The CB_OFFLOAD of a finished copy is sent on the only slot (slot 0, {@code seq}) and answered. */
    void offloadSentOnTheOnlySlotAndAnswered(AsyncCopy copy, int seq) {
        TestTransport.Call call = transport.last();
        assertThat(call.isProbe()).isFalse();
        assertThat(offloadArgs(call).copyStateId()).isEqualTo(copy.stateId());
        assertThat(call.sequence().slotId()).isZero();
        assertThat(call.sequence().sequenceId()).isEqualTo(seq);
        assertThat(channel.slotsInUse()).isEqualTo(1);
        TestTransport.reply(call, NfsStatus.NFS4_OK);
        queue.runAll();
        assertThat(copy.state()).isEqualTo(CopyState.COMPLETED);
        assertThat(sent()).isEqualTo(1);
        assertThat(channel.slotsInUse()).isZero();
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race04_slotHolderTimesOut_offloadStillSentOnTheOnlySlot_andAnswered() throws Exception {
        up(1);
        TestCallback first = holdTheOnlySlot();
        sched.advance(SETTINGS.callTimeout()); // the holder's reply never comes
        queue.runAll();
        assertThat(((Failed) first.outcome()).reason()).isEqualTo(Reason.TIMED_OUT);
        assertThat(channel.slotsInUse()).as("the timed-out holder's slot is free").isZero();
        rebind();

        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();

        offloadSentOnTheOnlySlotAndAnswered(copy, 2); // seq 1 may have been processed: 2, never 1 again
    }

    @Test
    void race04_slotHolderCallFails_offloadStillSentOnTheOnlySlot_andAnswered() throws Exception {
        up(1);
        TestCallback first = holdTheOnlySlot();
        TestTransport.fail(transport.compounds().get(0)); // the connection broke under the call
        queue.runAll();
        assertThat(((Failed) first.outcome()).reason()).isEqualTo(Reason.TRANSPORT_FAILED);
        assertThat(channel.slotsInUse()).as("the failed holder's slot is free").isZero();
        rebind();

        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();

        offloadSentOnTheOnlySlotAndAnswered(copy, 2);
    }

    @Test
    void race04_slotHolderCannotBeSent_offloadStillSentOnTheOnlySlot_andAnswered() throws Exception {
        up(1);
        transport.throwOnSend = true;
        TestCallback first = TestCallback.recall(table, "first");
        others.add(first);
        channel.submit(first);
        queue.runAll();
        transport.throwOnSend = false;
        assertThat(((Failed) first.outcome()).reason()).isEqualTo(Reason.TRANSPORT_FAILED);
        assertThat(channel.slotsInUse()).as("the holder's slot is free").isZero();
        rebind();

        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();

        offloadSentOnTheOnlySlotAndAnswered(copy, 2); // the transport threw: treated as lost
    }

    @Test
    void race04_copyCompletes_offloadQueuedBehindANeverAnsweredSlot_failsBounded_copyStillAnswersStatus()
            throws Exception {
        up(1);
        TestCallback first = holdTheOnlySlot();
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();
        assertThat(copy.state()).as("ended, CB_OFFLOAD queued").isEqualTo(CopyState.NOTIFYING);
        assertThat(channel.inFlight()).isEqualTo(2);
        assertThat(transport.compounds()).as("CB_OFFLOAD waits for the only slot").hasSize(1);

        sched.advance(SETTINGS.callTimeout());
        queue.runAll();

        assertThat(((Failed) first.outcome()).reason()).isEqualTo(Reason.TIMED_OUT);
        assertThat(channel.inFlight()).as("the waiting CB_OFFLOAD did not wait forever").isZero();
        assertThat(copy.state()).as("its release ran").isEqualTo(CopyState.COMPLETED);
        assertThat(sent()).as("never sent").isZero();
        AsyncCopy polled = copies.find(CLIENT, copy.stateId());
        assertThat(polled.copied()).isEqualTo(SIZE);
        assertThat(polled.result()).as("OFFLOAD_STATUS has the result").isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void race04_slotHolderKilledByTeardown_offloadReleasedOnce_teardownCompletes() throws Exception {
        up(1);
        holdTheOnlySlot();
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();
        assertThat(channel.inFlight()).isEqualTo(2);

        teardown();

        assertThat(copy.state()).as("unlinked; its CB_OFFLOAD released by the channel's kill")
                .isEqualTo(CopyState.COMPLETED);
        assertThat(channel.inFlight()).isZero();
        assertThat(transport.compounds()).as("nothing sent after the kill").hasSize(1);
    }

    @Test
    void race04_slotFreedByReply_offloadSentOnIt_withTheResult() throws Exception {
        up(1);
        holdTheOnlySlot();
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();

        TestTransport.reply(transport.compounds().get(0), NfsStatus.NFS4_OK);
        queue.runAll();

        assertThat(transport.compounds()).hasSize(2);
        TestTransport.Call call = transport.compounds().get(1);
        assertThat(call.sequence().sequenceId()).isEqualTo(2);
        CbOffloadArgs args = offloadArgs(call);
        assertThat(args.copyStateId()).isEqualTo(copy.stateId());
        assertThat(args.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(args.count()).isEqualTo(SIZE);
        assertThat(args.verifier()).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(args.fileHandle()).containsExactly(4, 2);
        assertThat(sent()).isEqualTo(1);
        assertThat(copy.state()).isEqualTo(CopyState.NOTIFYING);

        TestTransport.reply(call, NfsStatus.NFS4_OK);
        queue.runAll();
        assertThat(copy.state()).isEqualTo(CopyState.COMPLETED);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race20a_clientDestroyedDuringCopy_manualExecutor_copyStoppedUnlinked_noOffload() throws Exception {
        up(4);
        List<AsyncCopy> started = new ArrayList<>();
        // STOP_COPIES runs while the copy's first chunk is in progress: re-entrantly, from inside that
        // chunk on the manual copy executor; its join never blocks the chunk (it is a stage)
        VirtualFileSystem during = DuringCopy.proxy(fs, () -> {
            if (started.size() == 1) {
                started.add(started.get(0));
                copies.releaseClient(CLIENT);
            }
        });
        copies = new Copies(new StateIdAllocator(7), new CopyEngine(100), copyTasks, sched, sched, counters,
                new Copies.Settings(4, 64, KEEP, Duration.ZERO), id -> id == CLIENT ? channel : null);
        AsyncCopy copy = copies.start(CLIENT, request(during));
        started.add(copy);
        copyTasks.runAll();
        queue.runAll();

        assertThat(started).as("teardown ran inside the chunk").hasSize(2);
        assertThat(copy.state()).as("cancelled, then reaped when its task returned").isEqualTo(CopyState.REAPED);
        assertThat(copy.copied()).as("stopped after the chunk in progress").isEqualTo(100);
        assertThat(copy.taskEnded().toCompletableFuture()).isDone();
        assertThat(copies.running()).isZero();
        assertThat(copies.size()).isZero();
        assertThat(copies.hasState(CLIENT)).isFalse();
        assertThat(channel.inFlight()).as("no CB_OFFLOAD queued").isZero();
        assertThat(transport.compounds()).isEmpty();
        assertThat(status(() -> copies.find(CLIENT, copy.stateId()))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        teardown();
    }

    /** The threaded version of the test above: a real copy thread, cancelled while in its chunk. */
    @Test
    void race20a_clientDestroyedDuringCopy_copyStoppedJoinedUnlinked_noOffload() throws Exception {
        up(4);
        CountDownLatch inChunk = new CountDownLatch(1);
        AtomicReference<AsyncCopy> ref = new AtomicReference<>(); // set by the test thread, read by the copy task
        // the copy's first chunk is in progress when the client is destroyed; it returns once cancelled
        VirtualFileSystem blocking = DuringCopy.proxy(fs, () -> {
            inChunk.countDown();
            // ref is set once start() returns, which may be after the task began
            for (long i = 0; ref.get() == null || !ref.get().isCancelled(); i++) {
                if (i > 2_000_000_000L) {
                    throw new AssertionError("never cancelled");
                }
                Thread.onSpinWait();
            }
        });
        copies = copies(r -> Thread.ofVirtual().name("copy-task").start(r));
        ref.set(copies.start(CLIENT, request(blocking)));
        assertThat(inChunk.await(30, TimeUnit.SECONDS)).isTrue();

        // cancels; the stage completes when the task has returned
        assertThat(copies.release(CLIENT).toCompletableFuture().get(30, TimeUnit.SECONDS)).isNull();

        AsyncCopy copy = ref.get();
        assertThat(copy.taskEnded().toCompletableFuture()).as("joined").isDone();
        assertThat(copy.state()).isEqualTo(CopyState.REAPED);
        assertThat(copy.copied()).as("stopped after the chunk in progress").isEqualTo(100);
        assertThat(copies.running()).isZero();
        assertThat(copies.size()).isZero();
        assertThat(copies.hasState(CLIENT)).isFalse();
        queue.runAll();
        assertThat(channel.inFlight()).as("no CB_OFFLOAD queued").isZero();
        assertThat(transport.compounds()).isEmpty();
        assertThat(status(() -> copies.find(CLIENT, copy.stateId()))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        teardown();
    }

    @Test
    void race20a_copyEndsWhileItsClientIsTornDown_noOffloadQueuedAfterStopCopies() throws Exception {
        up(4);
        CountDownLatch inChunk = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        // the last chunk is in progress when STOP_COPIES runs; the copy ends after the join gave up
        VirtualFileSystem blocking = DuringCopy.proxy(fs, () -> {
            inChunk.countDown();
            try {
                assertThat(proceed.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
        copies = new Copies(new StateIdAllocator(7), new CopyEngine(1000), r -> Thread.ofVirtual().start(r), sched,
                sched, counters, new Copies.Settings(4, 64, KEEP, Duration.ofMillis(1)), id -> channel);
        AsyncCopy copy = copies.start(CLIENT, request(blocking));
        assertThat(inChunk.await(30, TimeUnit.SECONDS)).isTrue();

        copies.releaseClient(CLIENT);
        sched.advance(Duration.ofMillis(1)); // the join bound passes: logged, teardown goes on
        proceed.countDown();
        assertThat(copy.taskEnded().toCompletableFuture().get(30, TimeUnit.SECONDS)).isNull();

        assertThat(copy.copied()).as("the chunk finished").isEqualTo(SIZE);
        queue.runAll();
        assertThat(channel.inFlight()).as("no CB_OFFLOAD after STOP_COPIES").isZero();
        assertThat(copies.running()).isZero();
        teardown();
    }

    @Test
    void race20b_finishedCopyNotReapedBeforeItsKeepTime_statusStillAnswers() throws Exception {
        up(4);
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();
        TestTransport.reply(transport.compounds().get(0), NfsStatus.NFS4_OK);
        queue.runAll();
        assertThat(copy.state()).isEqualTo(CopyState.COMPLETED);

        sched.advance(KEEP.minusSeconds(1));
        assertThat(copies.reapFinished()).isZero();
        assertThat(copies.find(CLIENT, copy.stateId()).result()).isEqualTo(NfsStatus.NFS4_OK);

        sched.advance(Duration.ofSeconds(1));
        assertThat(copies.reapFinished()).isEqualTo(1);
        assertThat(copy.state()).isEqualTo(CopyState.REAPED);
        assertThat(status(() -> copies.find(CLIENT, copy.stateId()))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void race20c_copyNotReapedWhileItsOffloadIsInFlight() throws Exception {
        up(4);
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();
        TestTransport.Call call = transport.compounds().get(0); // sent, not answered

        sched.advance(KEEP.plusSeconds(1)); // past the keep time, within the callback timeout
        assertThat(copies.reapFinished()).as("CB_OFFLOAD in flight").isZero();
        assertThat(copy.state()).isEqualTo(CopyState.NOTIFYING);
        assertThat(copies.find(CLIENT, copy.stateId())).isSameAs(copy);

        TestTransport.reply(call, NfsStatus.NFS4_OK);
        queue.runAll();
        assertThat(copy.state()).isEqualTo(CopyState.COMPLETED);
        assertThat(copies.reapFinished()).as("the keep time counts from the release").isZero();
        sched.advance(KEEP);
        assertThat(copies.reapFinished()).isEqualTo(1);
    }

    @Test
    void race20c_clientDestroyedWithOffloadInFlight_copyUnlinked_releasedOnceByTheKill() throws Exception {
        up(4);
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        copyTasks.runAll();
        queue.runAll();
        assertThat(transport.compounds()).hasSize(1);

        copies.releaseClient(CLIENT);
        assertThat(copy.state()).as("unlinked but not reaped: its CB_OFFLOAD holds it").isEqualTo(CopyState.NOTIFYING);
        assertThat(copies.size()).isZero();

        teardown();
        assertThat(copy.state()).isEqualTo(CopyState.COMPLETED);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void destroySessionDuringCopy_copyKeepsRunning_offloadGoesOverTheClientsNewBackchannel() throws Exception {
        up(4);
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        // the client destroys the session carrying the backchannel and creates another one: copies
        // belong to the client, so the copy runs on and its CB_OFFLOAD takes the new session's path
        TestTransport second = new TestTransport();
        channel.pathBound(new CallbackPath(OTHER_SESSION, 4, 2, second, () -> true));
        queue.runAll();
        TestTransport.answerProbe(second.last());
        queue.runAll();

        copyTasks.runAll();
        queue.runAll();

        assertThat(transport.compounds()).as("nothing on the destroyed session").isEmpty();
        assertThat(second.compounds()).hasSize(1);
        TestTransport.Call call = second.compounds().get(0);
        assertThat(call.sequence().sessionId()).isEqualTo(OTHER_SESSION);
        assertThat(offloadArgs(call).count()).isEqualTo(SIZE);
        TestTransport.reply(call, NfsStatus.NFS4_OK);
        queue.runAll();
        assertThat(copy.state()).isEqualTo(CopyState.COMPLETED);
    }

    @Test
    void destroySessionDuringCopy_noBackchannelLeft_offloadFailsOnce_clientPollsStatus() throws Exception {
        up(4);
        AsyncCopy copy = copies.start(CLIENT, request(fs));
        connectedOnlyBefore = false; // the session's back connection is gone and no other is bound
        channel.connectionLost();
        assertThat(channel.state()).isEqualTo(State.DOWN);

        copyTasks.runAll();
        queue.runAll();

        assertThat(transport.compounds()).as("not sent on a DOWN channel").isEmpty();
        assertThat(copy.state()).as("CB_OFFLOAD failed and was released").isEqualTo(CopyState.COMPLETED);
        assertThat(channel.inFlight()).isZero();
        AsyncCopy polled = copies.find(CLIENT, copy.stateId());
        assertThat(polled.copied()).isEqualTo(SIZE);
        assertThat(polled.result()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(sent()).isZero();
    }

    interface Call {
        void run() throws Exception;
    }

    static NfsStatus status(Call c) {
        try {
            c.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

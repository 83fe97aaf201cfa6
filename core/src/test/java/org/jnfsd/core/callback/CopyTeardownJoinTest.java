package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.core.copy.Copies;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.copy.CopyState;
import org.jnfsd.core.copy.DuringCopy;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * STOP_COPIES ({@link Copies#release}) waits for the client's copy tasks as a stage, bounded on the
 * injected scheduler: it never blocks the thread that runs it (here the copy task itself, which
 * runs the step re-entrantly from inside its chunk on the manual copy executor), completes when the
 * tasks have returned, and at the join bound at the latest, not before. Only the test moves the
 * scheduler, so a step that waited in real time would stall each test for the bound: the hang
 * guard fails it.
 */
@Timeout(value = CopyTeardownJoinTest.HANG_GUARD_S, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CopyTeardownJoinTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration KEEP = Duration.ofSeconds(5);
    static final Duration JOIN_BOUND = Duration.ofSeconds(60);
    /** A hang guard only, far below {@link #JOIN_BOUND}: a step that waited in real time for the join fails here. */
    static final long HANG_GUARD_S = 20;
    static final long CLIENT = 0xC2;
    static final int SIZE = 250;

    final ManualExecutor queue = new ManualExecutor();
    final ManualExecutor copyTasks = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final CallbackChannel channel = new CallbackChannel("client-2", queue, sched, sched, SETTINGS);
    final MemoryFileSystem fs = new MemoryFileSystem(sched, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
    final Copies copies = new Copies(new StateIdAllocator(9), new CopyEngine(100), copyTasks, sched, sched,
            new ServerCounters(), new Copies.Settings(4, 64, KEEP, JOIN_BOUND), id -> id == CLIENT ? channel : null);

    void up() {
        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 4, 2, transport, () -> true));
        queue.runAll();
        TestTransport.answerProbe(transport.last());
        queue.runAll();
    }

    AsyncCopy.Request request(VirtualFileSystem f) throws Exception {
        Inode src = fs.createFile(fs.root(), "src", SetAttributes.NONE.withMode(0666), true);
        fs.write(src, 0, ByteBuffer.wrap(new byte[SIZE]), Stability.FILE_SYNC);
        Inode dst = fs.createFile(fs.root(), "dst", SetAttributes.NONE.withMode(0666), true);
        return new AsyncCopy.Request(f, src, 0, dst, 0, SIZE, new byte[] {4, 2}, new byte[] {8, 7, 6, 5, 4, 3, 2, 1});
    }

    @AfterEach
    void killTheChannel() {
        CompletableFuture<TeardownReport> td = channel.shutdownAsync(Duration.ofSeconds(30)).toCompletableFuture();
        queue.runAll();
        ChannelChecks.assertCompletedWithoutTheBound(td);
        ChannelChecks.assertQuiet(channel);
        assertThat(transport.compounds()).as("no CB_OFFLOAD after STOP_COPIES").isEmpty();
        assertThat(copies.running()).isZero();
        assertThat(copies.size()).isZero();
        fs.close();
    }

    @Test
    void release_copyTaskInItsChunk_stageDoneAtTheJoinBoundNotBefore_nothingBlocks() throws Exception {
        up();
        AtomicReference<CompletableFuture<Void>> stage = new AtomicReference<>();
        List<Object> inChunk = new ArrayList<>();
        VirtualFileSystem during = DuringCopy.proxy(fs, () -> {
            if (stage.get() == null) {
                stage.set(copies.release(CLIENT).toCompletableFuture());
                inChunk.add(stage.get().isDone());
                sched.advance(JOIN_BOUND.minusMillis(1));
                inChunk.add(stage.get().isDone());
                sched.advance(Duration.ofMillis(1));
                inChunk.add(stage.get().isDone());
            }
        });
        AsyncCopy copy = copies.start(CLIENT, request(during));

        copyTasks.runAll();

        assertThat(inChunk).as("the task still runs: done only at the join bound").containsExactly(false, false, true);
        assertThat(copy.copied()).as("stopped after the chunk in progress").isEqualTo(100);
        assertThat(copy.taskEnded().toCompletableFuture()).isDone();
        assertThat(copy.state()).as("reaped when its task returned").isEqualTo(CopyState.REAPED);
    }

    @Test
    void release_copyTaskReturnsBeforeTheBound_stageDoneThenAndTimerCancelled() throws Exception {
        up();
        AtomicReference<CompletableFuture<Void>> stage = new AtomicReference<>();
        List<Object> inChunk = new ArrayList<>();
        VirtualFileSystem during = DuringCopy.proxy(fs, () -> {
            if (stage.get() == null) {
                stage.set(copies.release(CLIENT).toCompletableFuture());
                inChunk.add(stage.get().isDone());
                inChunk.add(sched.pendingTimers());
            }
        });
        AsyncCopy copy = copies.start(CLIENT, request(during));

        copyTasks.runAll();

        assertThat(inChunk).as("waiting for the task, with the bound's timer set").containsExactly(false, 1);
        assertThat(stage.get()).as("done when the task returned, no time passed").isDone();
        assertThat(sched.pendingTimers()).as("the bound's timer cancelled").isZero();
        assertThat(copy.state()).isEqualTo(CopyState.REAPED);
    }

    @Test
    void release_noCopyRunning_doneAtOnceWithoutATimer() throws Exception {
        up();

        CompletableFuture<Void> stage = copies.release(CLIENT).toCompletableFuture();

        assertThat(stage).isDone();
        assertThat(sched.pendingTimers()).isZero();
    }
}

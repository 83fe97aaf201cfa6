package org.jnfsd.core.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongFunction;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Copies} with a copy executor and a callback queue the test runs by hand: limits, cancel
 * racing completion in both orders, reaping, TEST_/FREE_STATEID, failures mid-copy, teardown of a
 * copy whose task never started. The callback side (slots, replies, teardown of the channel) is in
 * {@code core.callback.CopyRacesTest}.
 */
class CopiesTest {
    static final long CLIENT = 0xC1;
    static final long OTHER = 0xC2;
    static final Duration KEEP = Duration.ofSeconds(90);
    static final int CHUNK = 100;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** Runs queued tasks when the test says; can refuse. */
    static final class Tasks implements Executor {
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        boolean rejecting;

        @Override
        public void execute(Runnable r) {
            if (rejecting) {
                throw new RejectedExecutionException("test executor rejects");
            }
            queue.add(r);
        }

        int runAll() {
            int n = 0;
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
                if (++n > 10_000) {
                    throw new AssertionError("tasks never quiesce");
                }
            }
            return n;
        }
    }

    final TestClock clock = new TestClock();
    /** The join bound's timers; none fires unless a test runs it. */
    final List<Runnable> timerTasks = new ArrayList<>();
    final CallbackScheduler timers = (task, delay) -> {
        timerTasks.add(task);
        return () -> timerTasks.remove(task);
    };
    final Tasks copyTasks = new Tasks();
    final Tasks callbackQueue = new Tasks();
    final ServerCounters counters = new ServerCounters();
    /** Never started: a callback queued on it waits on {@link #callbackQueue}, so in-flight shows it. */
    final CallbackChannel channel = new CallbackChannel("client-1", callbackQueue, (task, delay) -> () -> { },
            clock, CallbackChannel.Settings.DEFAULT);
    MemoryFileSystem memory = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
    VirtualFileSystem fs = memory;
    LongFunction<CallbackChannel> channels = id -> id == CLIENT ? channel : null;
    int seq;
    String lastSrcName;

    @AfterEach
    void close() {
        memory.close();
    }

    Copies copies(int perClient, int perServer) {
        return new Copies(new StateIdAllocator(7), new CopyEngine(CHUNK), copyTasks, clock, timers, counters,
                new Copies.Settings(perClient, perServer, KEEP, Duration.ofSeconds(5)), id -> channels.apply(id));
    }

    Inode file(VirtualFileSystem f, String name, int size) throws VfsException {
        Inode i = f.createFile(f.root(), name, SetAttributes.NONE.withMode(0666), true);
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (k * 7 + 1);
        }
        if (size > 0) {
            f.write(i, 0, ByteBuffer.wrap(b), Stability.FILE_SYNC);
        }
        return i;
    }

    AsyncCopy.Request request(VirtualFileSystem f, int size) throws VfsException {
        seq++;
        lastSrcName = "src" + seq;
        Inode src = file(f, lastSrcName, size);
        Inode dst = file(f, "dst" + seq, 0);
        return new AsyncCopy.Request(f, src, 0, dst, 0, size, new byte[] {9, 9}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    static NfsStatus status(ThrowingCall c) {
        try {
            c.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void start_runsOnTheExecutor_completesAndQueuesOneOffload() throws Exception {
        Copies copies = copies(4, 64);
        AsyncCopy c = copies.start(CLIENT, request(fs, 250));
        assertThat(c.state()).isEqualTo(CopyState.RUNNING);
        assertThat(copies.running()).isEqualTo(1);
        assertThat(copies.hasState(CLIENT)).as("a running copy keeps the client busy").isTrue();
        assertThat(copies.find(CLIENT, c.stateId())).isSameAs(c);

        copyTasks.runAll();

        assertThat(c.state()).isEqualTo(CopyState.NOTIFYING);
        assertThat(c.copied()).isEqualTo(250);
        assertThat(c.result()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(channel.inFlight()).as("its CB_OFFLOAD is queued").isEqualTo(1);
        assertThat(copies.running()).isZero();
        assertThat(copies.hasState(CLIENT)).isFalse();
        assertThat(counters.snapshot()).containsEntry(ServerEvent.COPY_ASYNC_STARTED.meterName(), 1L)
                .containsEntry(ServerEvent.COPY_ASYNC_COMPLETED.meterName(), 1L);
        CbOffloadArgs args = OffloadCallback.argsOf(c);
        assertThat(args.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(args.count()).isEqualTo(250);
        assertThat(args.copyStateId()).isEqualTo(c.stateId());
        assertThat(args.verifier()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(args.fileHandle()).containsExactly(9, 9);
    }

    @Test
    void start_beyondPerClientOrServerLimit_DELAY_untilATaskReturns() throws Exception {
        Copies copies = copies(1, 2);
        copies.start(CLIENT, request(fs, 10));
        assertThat(status(() -> copies.start(CLIENT, request(fs, 10)))).as("per client").isEqualTo(NfsStatus.NFS4ERR_DELAY);
        copies.start(OTHER, request(fs, 10));
        assertThat(status(() -> copies.start(0xC3, request(fs, 10)))).as("per server").isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(copies.running()).isEqualTo(2);

        copyTasks.runAll();

        assertThat(copies.running()).isZero();
        assertThat(status(() -> copies.start(CLIENT, request(fs, 10)))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void start_executorRefuses_DELAY_nothingLeft() throws Exception {
        Copies copies = copies(4, 64);
        copyTasks.rejecting = true;
        assertThat(status(() -> copies.start(CLIENT, request(fs, 10)))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(copies.running()).isZero();
        assertThat(copies.size()).isZero();
    }

    @Test
    void cancel_beforeTheTaskRuns_copiesNothing_noOffload_unlinked() throws Exception {
        Copies copies = copies(4, 64);
        AsyncCopy c = copies.start(CLIENT, request(fs, 250));
        assertThat(copies.cancel(c)).isTrue();

        copyTasks.runAll();

        assertThat(c.copied()).isZero();
        assertThat(c.state()).isEqualTo(CopyState.REAPED);
        assertThat(channel.inFlight()).as("no CB_OFFLOAD after a cancel").isZero();
        assertThat(status(() -> copies.find(CLIENT, c.stateId()))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.running()).isZero();
        assertThat(counters.snapshot()).containsEntry(ServerEvent.COPY_ASYNC_CANCELLED.meterName(), 1L)
                .containsEntry(ServerEvent.COPY_ASYNC_COMPLETED.meterName(), 0L);
    }

    @Test
    void cancel_duringAChunk_stopsAtTheNextChunk_noOffload() throws Exception {
        Copies copies = copies(4, 64);
        AsyncCopy[] ref = new AsyncCopy[1];
        fs = DuringCopy.proxy(memory, () -> copies.cancel(ref[0])); // OFFLOAD_CANCEL arrives during each chunk
        ref[0] = copies.start(CLIENT, request(fs, 250));

        copyTasks.runAll();

        assertThat(ref[0].copied()).as("the chunk in progress finishes, no more").isEqualTo(CHUNK);
        assertThat(ref[0].state()).isEqualTo(CopyState.REAPED);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void cancel_afterCompletion_loses_offloadStillQueued_copyStaysVisible() throws Exception {
        Copies copies = copies(4, 64);
        AsyncCopy c = copies.start(CLIENT, request(fs, 250));
        copyTasks.runAll();

        assertThat(copies.cancel(c)).isFalse();

        assertThat(c.state()).isEqualTo(CopyState.NOTIFYING);
        assertThat(copies.find(CLIENT, c.stateId())).isSameAs(c);
        assertThat(channel.inFlight()).isEqualTo(1);
        assertThat(counters.snapshot()).containsEntry(ServerEvent.COPY_ASYNC_CANCELLED.meterName(), 0L);
    }

    @Test
    void copy_sourceFailsAfterSomeBytes_partialCopyReportedOk_failsBeforeAny_errorReported() throws Exception {
        Copies copies = copies(4, 64);
        int[] calls = {0};
        fs = proxyFailing(memory, calls, 1);
        AsyncCopy partial = copies.start(CLIENT, request(fs, 250));
        copyTasks.runAll();
        assertThat(partial.result()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(OffloadCallback.argsOf(partial).count()).isEqualTo(CHUNK);

        calls[0] = 0;
        fs = proxyFailing(memory, calls, 0);
        AsyncCopy none = copies.start(OTHER, request(fs, 250));
        copyTasks.runAll();
        assertThat(none.result()).isEqualTo(NfsStatus.NFS4ERR_NOSPC);
        assertThat(none.state()).as("no channel for that client: nothing queued").isEqualTo(CopyState.COMPLETED);
        CbOffloadArgs args = OffloadCallback.argsOf(none);
        assertThat(args.status()).isEqualTo(NfsStatus.NFS4ERR_NOSPC);
        assertThat(args.count()).isZero();
    }

    @Test
    void copy_localSourceRemovedMidCopy_partialOrError_neverHangs(@TempDir Path dir) throws Exception {
        LocalFileSystem local = new LocalFileSystem(dir, clock);
        try {
            Copies copies = copies(4, 64);
            AsyncCopy.Request r = request(local, 250);
            Inode src = r.src();
            // the source is removed during the first chunk
            String name = lastSrcName;
            VirtualFileSystem removing = DuringCopy.proxy(local, () -> remove(local, name));
            AsyncCopy c = copies.start(CLIENT, new AsyncCopy.Request(removing, src, 0, r.dst(), 0, 250, r.dstFh(),
                    r.verifier()));
            copyTasks.runAll();
            assertThat(c.state()).isEqualTo(CopyState.NOTIFYING);
            // an open source keeps its data on Linux; a backend that loses it reports what it copied
            assertThat(c.copied()).isBetween((long) CHUNK, 250L);
            assertThat(c.result()).isEqualTo(NfsStatus.NFS4_OK);
        } finally {
            local.close();
        }
    }

    private static void remove(VirtualFileSystem f, String name) {
        try {
            f.remove(f.root(), name);
        } catch (VfsException e) {
            if (e.error() != org.jnfsd.vfs.VfsError.NOENT) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void reapFinished_keepsAFinishedCopyForTheKeepTime_neverWhileNotifying() throws Exception {
        Copies copies = copies(4, 64);
        channels = id -> null; // no channel: the copy completes without CB_OFFLOAD
        AsyncCopy c = copies.start(CLIENT, request(fs, 10));
        copyTasks.runAll();
        assertThat(c.state()).isEqualTo(CopyState.COMPLETED);

        clock.now = clock.now.plus(KEEP).minusSeconds(1);
        assertThat(copies.reapFinished()).isZero();
        assertThat(copies.find(CLIENT, c.stateId()).result()).isEqualTo(NfsStatus.NFS4_OK);

        clock.now = clock.now.plusSeconds(1);
        assertThat(copies.reapFinished()).isEqualTo(1);
        assertThat(status(() -> copies.find(CLIENT, c.stateId()))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.size()).isZero();

        channels = id -> channel;
        AsyncCopy notifying = copies.start(CLIENT, request(fs, 10));
        copyTasks.runAll();
        clock.now = clock.now.plus(KEEP).plus(KEEP);
        assertThat(copies.reapFinished()).as("its CB_OFFLOAD is in flight").isZero();
        assertThat(notifying.state()).isEqualTo(CopyState.NOTIFYING);
    }

    @Test
    void testAndFreeStateid_routeCopyStateids() throws Exception {
        Copies copies = copies(4, 64);
        channels = id -> null;
        AsyncCopy c = copies.start(CLIENT, request(fs, 10));
        assertThat(copies.test(CLIENT, c.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(copies.test(OTHER, c.stateId())).as("another client's").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.free(OTHER, c.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.free(CLIENT, c.stateId())).as("still running").isEqualTo(NfsStatus.NFS4ERR_DELAY);

        copyTasks.runAll();

        assertThat(copies.free(CLIENT, c.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(copies.test(CLIENT, c.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.free(CLIENT, c.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.size()).isZero();
    }

    @Test
    void releaseClient_taskNeverStarted_claimedCancelledUnlinked_taskThenDoesNothing() throws Exception {
        Copies copies = copies(4, 64);
        AsyncCopy c = copies.start(CLIENT, request(fs, 250));
        AsyncCopy other = copies.start(OTHER, request(fs, 250));

        copies.releaseClient(CLIENT);

        assertThat(c.state()).isEqualTo(CopyState.REAPED);
        assertThat(c.taskEnded().toCompletableFuture()).isDone();
        assertThat(status(() -> copies.find(CLIENT, c.stateId()))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(copies.hasState(CLIENT)).isFalse();
        copyTasks.runAll();
        assertThat(c.copied()).isZero();
        assertThat(other.state()).as("another client's copy runs on").isEqualTo(CopyState.COMPLETED);
        assertThat(channel.inFlight()).isZero();
        assertThat(copies.running()).isZero();
        copies.releaseClient(CLIENT); // idempotent
    }

    @Test
    void find_unknownStateid_BAD_STATEID() {
        Copies copies = copies(4, 64);
        assertThat(status(() -> copies.find(CLIENT, new StateId(1, new byte[12])))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThatThrownBy(() -> new Copies.Settings(-1, 1, KEEP, KEEP)).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code f}, whose copy calls fail with NOSPC from call number {@code failFrom} on. */
    static VirtualFileSystem proxyFailing(VirtualFileSystem f, int[] calls, int failFrom) {
        return (VirtualFileSystem) Proxy.newProxyInstance(CopiesTest.class.getClassLoader(),
                new Class<?>[] {VirtualFileSystem.class}, (p, m, a) -> {
                    if (m.getName().equals("copy") && calls[0]++ >= failFrom) {
                        throw new VfsException(org.jnfsd.vfs.VfsError.NOSPC, "full");
                    }
                    try {
                        return m.invoke(f, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

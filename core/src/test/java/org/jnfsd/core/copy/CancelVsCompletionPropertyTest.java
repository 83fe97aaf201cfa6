package org.jnfsd.core.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * OFFLOAD_CANCEL against the copy's own end, over every interleaving of one copy of
 * {@value #CHUNKS} chunks: the cancel arrives before the task starts (-1), during chunk k (0 ..
 * CHUNKS-1), after the copy ended (CHUNKS), or never (CHUNKS+1). Exactly one of the two wins (a cancel
 * during the last chunk still wins: the copy had not reported its end); a CB_OFFLOAD
 * is queued exactly when the copy won; the bytes copied are those of the chunks begun before the
 * cancel; the task always returns, and a cancelled copy is no longer visible.
 */
class CancelVsCompletionPropertyTest {
    static final int CHUNK = 64;
    static final int CHUNKS = 4;
    static final long CLIENT = 1;

    @Property(tries = 60)
    void cancelRacingCompletion_exactlyOneWinner(@ForAll @IntRange(min = -1, max = CHUNKS + 1) int cancelAt,
            @ForAll boolean teardownAfter) throws Exception {
        CopiesTest.TestClock clock = new CopiesTest.TestClock();
        ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        ArrayDeque<Runnable> callbackQueue = new ArrayDeque<>();
        ServerCounters counters = new ServerCounters();
        CallbackChannel channel = new CallbackChannel("c", callbackQueue::add, (t, d) -> () -> { }, clock,
                CallbackChannel.Settings.DEFAULT);
        Copies copies = new Copies(new StateIdAllocator(3), new CopyEngine(CHUNK), tasks::add, clock, (task, delay) -> () -> { }, counters,
                new Copies.Settings(4, 4, Duration.ofSeconds(90), Duration.ofSeconds(5)), id -> channel);
        MemoryFileSystem memory = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        try {
            Inode src = memory.createFile(memory.root(), "s", SetAttributes.NONE, true);
            memory.write(src, 0, ByteBuffer.wrap(new byte[CHUNK * CHUNKS]), Stability.FILE_SYNC);
            Inode dst = memory.createFile(memory.root(), "d", SetAttributes.NONE, true);
            AsyncCopy[] ref = new AsyncCopy[1];
            int[] chunk = {0};
            VirtualFileSystem fs = (VirtualFileSystem) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {VirtualFileSystem.class}, (p, m, a) -> {
                        try {
                            Object r = m.invoke(memory, a);
                            if (m.getName().equals("copy") && chunk[0]++ == cancelAt) {
                                copies.cancel(ref[0]);
                            }
                            return r;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ref[0] = copies.start(CLIENT, new AsyncCopy.Request(fs, src, 0, dst, 0, CHUNK * CHUNKS, new byte[] {1},
                    new byte[8]));
            AsyncCopy copy = ref[0];
            if (cancelAt == -1) {
                copies.cancel(copy);
            }
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
            if (cancelAt == CHUNKS) {
                assertThat(copies.cancel(copy)).as("too late").isFalse();
            }
            if (teardownAfter) {
                copies.releaseClient(CLIENT);
            }

            Map<String, Long> c = counters.snapshot();
            long completed = c.get(ServerEvent.COPY_ASYNC_COMPLETED.meterName());
            long cancelled = c.get(ServerEvent.COPY_ASYNC_CANCELLED.meterName());
            boolean cancelWins = cancelAt <= CHUNKS - 1; // during the last chunk too: it ends before reporting
            assertThat(completed + cancelled).as("exactly one winner").isEqualTo(1);
            assertThat(cancelled).isEqualTo(cancelWins ? 1 : 0);
            assertThat(channel.inFlight()).as("CB_OFFLOAD queued iff the copy won").isEqualTo(cancelWins ? 0 : 1);
            assertThat(copy.copied()).isEqualTo(cancelWins ? (long) CHUNK * (cancelAt + 1) : CHUNK * CHUNKS);
            assertThat(copy.taskEnded().toCompletableFuture()).isDone();
            assertThat(copies.running()).isZero();
            if (cancelWins) {
                assertThat(copy.state()).isEqualTo(CopyState.REAPED);
                assertThat(copies.size()).isZero();
            } else {
                assertThat(copy.state()).as("held by its CB_OFFLOAD").isEqualTo(CopyState.NOTIFYING);
                assertThat(copy.result()).isEqualTo(NfsStatus.NFS4_OK);
                assertThat(copies.size()).isEqualTo(teardownAfter ? 0 : 1);
            }
        } finally {
            memory.close();
        }
    }
}

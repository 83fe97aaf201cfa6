package org.jnfsd.bench.callback;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jnfsd.core.callback.CallbackChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The callback queue (issue 5): one callback's whole life in {@link CallbackChannel}: submit (token,
 * in-flight count, ordered queue) → prepare → take a backchannel slot → send CB_SEQUENCE + CB_RECALL
 * (a per-attempt timer armed and cancelled) → reply handled back on the queue → done → release →
 * count lowered. The transport answers at once, in process, so this is the channel's own cost.
 *
 * <ul>
 *   <li>{@link #roundTripInline}: one client, the queue run on the submitting thread (a direct
 *       executor): the cost of the channel's steps with no thread hand-off, ns per callback.
 *   <li>{@link #roundTripVirtualThreads}: {@value #BATCH} callbacks spread over {@code clients}
 *       channels whose queues run on virtual threads, as in production; callbacks per second until
 *       the last release.
 *   <li>{@link #submitRefused}: the in-flight accounting alone: a killed channel's submit takes the
 *       token, raises the count, runs done and release and lowers the count (no queue, no send).
 *   <li>{@link #inFlightGauge}: the {@code jnfsd.callbacks.in_flight} gauge's read over
 *       {@code clients} channels (each {@code inFlight()} takes the channel's lock).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallbackQueueBenchmark {
    /** Callbacks per invocation of {@link #roundTripVirtualThreads}. */
    static final int BATCH = 1000;
    /** Backchannel slots each channel has (what NfsClient offers; the Linux client offers 1 to 16). */
    static final int SLOTS = 4;

    /** One channel whose queue runs on the caller's thread. */
    @State(Scope.Thread)
    public static class Inline {
        ScheduledThreadPoolExecutor timers;
        CallbackChannel channel;
        long released;

        @Setup(Level.Trial)
        public void setUp() {
            timers = CallbackRig.timerThread();
            channel = CallbackRig.upChannel("inline", Runnable::run, timers, new CallbackRig.Answering(), SLOTS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            channel.shutdownAsync(Duration.ofSeconds(10)).toCompletableFuture().join();
            timers.shutdownNow();
        }
    }

    /** {@code clients} channels whose queues run on virtual threads, as ServerContext's do. */
    @State(Scope.Benchmark)
    public static class Clients {
        @Param({"1", "100"})
        public int clients;

        ExecutorService executor;
        ScheduledThreadPoolExecutor timers;
        CallbackChannel[] channels;

        @Setup(Level.Trial)
        public void setUp() {
            executor = Executors.newVirtualThreadPerTaskExecutor();
            timers = CallbackRig.timerThread();
            channels = new CallbackChannel[clients];
            for (int i = 0; i < clients; i++) {
                channels[i] = CallbackRig.upChannel("client-" + i, executor, timers, new CallbackRig.Answering(),
                        SLOTS);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (CallbackChannel ch : channels) {
                ch.shutdownAsync(Duration.ofSeconds(10)).toCompletableFuture().join();
            }
            executor.close();
            timers.shutdownNow();
        }
    }

    /** A channel already killed: every submit is refused and released at once. */
    @State(Scope.Thread)
    public static class Killed {
        ScheduledThreadPoolExecutor timers;
        CallbackChannel channel;
        long released;

        @Setup(Level.Trial)
        public void setUp() {
            timers = CallbackRig.timerThread();
            channel = CallbackRig.upChannel("killed", Runnable::run, timers, new CallbackRig.Answering(), SLOTS);
            channel.shutdownAsync(Duration.ofSeconds(10)).toCompletableFuture().join();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            timers.shutdownNow();
        }
    }

    @Benchmark
    public long roundTripInline(Inline s) {
        long before = s.released;
        s.channel.submit(new CallbackRig.Recall(() -> s.released++));
        if (s.released != before + 1) {
            throw new IllegalStateException("the callback did not complete inline");
        }
        return s.released;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void roundTripVirtualThreads(Clients s) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(BATCH);
        CallbackRig.ReleaseListener done = latch::countDown;
        CallbackChannel[] chs = s.channels;
        for (int i = 0; i < BATCH; i++) {
            chs[i % chs.length].submit(new CallbackRig.Recall(done));
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(latch.getCount() + " callbacks not released within 60 s");
        }
    }

    @Benchmark
    public CallbackChannel.Submitted submitRefused(Killed s) {
        return s.channel.submit(new CallbackRig.Recall(() -> s.released++));
    }

    @Benchmark
    public int inFlightGauge(Clients s) {
        int n = 0;
        for (CallbackChannel ch : s.channels) {
            n += ch.inFlight();
        }
        return n;
    }
}

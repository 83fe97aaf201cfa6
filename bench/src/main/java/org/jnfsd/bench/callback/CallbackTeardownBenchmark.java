package org.jnfsd.bench.callback;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackTeardownHook;
import org.jnfsd.core.callback.TeardownReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Client teardown's callback step (issue 4) with {@value #IN_FLIGHT} callbacks in flight: the time
 * from {@link CallbackChannel#shutdownAsync} (what DESTROY_CLIENTID and lease expiry run, through
 * {@link CallbackTeardownHook}) until its stage completes, i.e. every callback's release has run and
 * the in-flight count is zero. Each invocation builds a fresh channel on virtual threads (as in
 * production), submits {@value #IN_FLIGHT} CB_RECALLs and waits until all are prepared and as many as
 * the backchannel has slots are sent and held by the transport; the rest wait for a slot.
 *
 * <ul>
 *   <li>{@link #answered}: the client answers every sent call at the moment teardown starts (its
 *       replies race the kill on another thread);
 *   <li>{@link #killed}: the client never answers: the kill closes the transport, failing the calls.
 * </ul>
 * Single-shot: one teardown per measurement, in microseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 30)
@Measurement(iterations = 50)
@Fork(1)
public class CallbackTeardownBenchmark {
    static final int IN_FLIGHT = 1000;

    /** Backchannel slots: 1 (999 callbacks wait for the slot) or all 1,000 sent at once. */
    @Param({"1", "1000"})
    public int slots;

    private ExecutorService executor;
    private ScheduledThreadPoolExecutor timers;
    private CallbackRig.Holding transport;
    private CallbackChannel channel;
    private final AtomicInteger released = new AtomicInteger();
    private CountDownLatch go;
    private Thread client;

    @Setup(Level.Trial)
    public void setUpTrial() {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        timers = CallbackRig.timerThread();
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() {
        executor.close();
        timers.shutdownNow();
    }

    /** A channel with {@value #IN_FLIGHT} callbacks in flight, and a client thread ready to answer. */
    @Setup(Level.Invocation)
    public void setUp() {
        transport = new CallbackRig.Holding();
        channel = CallbackRig.upChannel("teardown", executor, timers, transport, slots);
        released.set(0);
        CallbackRig.Recall[] recalls = new CallbackRig.Recall[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            recalls[i] = new CallbackRig.Recall(released::incrementAndGet);
            if (channel.submit(recalls[i]) != CallbackChannel.Submitted.QUEUED) {
                throw new IllegalStateException("callback " + i + " not queued");
            }
        }
        int sent = Math.min(slots, IN_FLIGHT);
        CallbackRig.await(() -> recalls[IN_FLIGHT - 1].prepared() && transport.held() == sent,
                IN_FLIGHT + " callbacks prepared and " + sent + " sent");
        if (channel.inFlight() != IN_FLIGHT) {
            throw new IllegalStateException("in flight " + channel.inFlight() + ", expected " + IN_FLIGHT);
        }
        go = new CountDownLatch(1);
        CallbackRig.Holding t = transport;
        CountDownLatch g = go;
        client = Thread.ofPlatform().name("bench-client-answers").start(() -> {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            t.answerAll();
        });
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws InterruptedException {
        go.countDown(); // killed: the client thread answers late (its replies must be dropped)
        client.join(TimeUnit.SECONDS.toMillis(60));
        if (client.isAlive()) {
            throw new IllegalStateException("answering thread stuck");
        }
        if (released.get() != IN_FLIGHT || channel.inFlight() != 0) {
            throw new IllegalStateException("released " + released.get() + ", in flight " + channel.inFlight());
        }
    }

    @Benchmark
    public TeardownReport answered() {
        go.countDown();
        return teardown();
    }

    @Benchmark
    public TeardownReport killed() {
        return teardown();
    }

    private TeardownReport teardown() {
        TeardownReport r = channel.shutdownAsync(CallbackTeardownHook.DEFAULT_BOUND).toCompletableFuture()
                .orTimeout(60, TimeUnit.SECONDS).join();
        if (!r.forceReleased().isEmpty()) {
            throw new IllegalStateException("force-released: " + r.forceReleased());
        }
        return r;
    }

    /** For the smoke test: one invocation ({@link #answered} or {@link #killed}) on a fresh channel. */
    TeardownReport runOnce(boolean answer) throws InterruptedException {
        setUp();
        try {
            return answer ? answered() : killed();
        } finally {
            tearDown();
        }
    }
}

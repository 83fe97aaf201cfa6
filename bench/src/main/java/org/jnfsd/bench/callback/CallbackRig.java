package org.jnfsd.bench.callback;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.callback.CallbackPath;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.callback.CallbackTransport;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.session.SessionId;

/**
 * In-process pieces for measuring {@link CallbackChannel} without a network: a transport that answers
 * every call at once ({@link Answering}) or holds every call until told ({@link Holding}), a recall
 * callback that counts its release, and the channel built the way {@code ServerContext} builds it
 * (its executor and a JDK scheduler for the per-attempt timers).
 *
 * <p>Benchmark code, not core: it waits with bounded spins and reads the wall clock.
 */
final class CallbackRig {
    /** Recall arguments every benchmark callback sends (a delegation stateid and a 16-byte handle). */
    static final CbRecallArgs RECALL = new CbRecallArgs(new StateId(1, new byte[StateId.OTHER_SIZE]), false,
            new byte[16]);

    private CallbackRig() {
    }

    /**
     * The timers of the channels: one daemon thread, like ServerContext's. Cancelled timers are
     * removed at once: the production scheduler keeps them queued until their 10 s timeout passes,
     * which at the millions of callbacks per second measured here would fill the heap.
     */
    static ScheduledThreadPoolExecutor timerThread() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "bench-callback-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** A channel named {@code name} on {@code executor}, bound to {@code transport} and probed UP. */
    static CallbackChannel upChannel(String name, Executor executor, ScheduledThreadPoolExecutor timers,
            CallbackTransport transport, int slots) {
        CallbackChannel ch = new CallbackChannel(name, executor, CallbackScheduler.of(timers), Clock.systemUTC(),
                CallbackChannel.Settings.DEFAULT);
        byte[] sid = new byte[SessionId.SIZE];
        sid[0] = (byte) name.hashCode();
        sid[1] = (byte) (name.hashCode() >> 8);
        BooleanSupplier connected = () -> true;
        ch.pathBound(new CallbackPath(new SessionId(sid), slots, 1, transport, connected));
        awaitUp(ch);
        return ch;
    }

    private static void awaitUp(CallbackChannel ch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.state() != CallbackChannel.State.UP) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ch + ": probe not answered within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    /** The reply a client gives to a CB_SEQUENCE + operation: both NFS4_OK, the slot echoed. */
    static CbCompoundResult okReply(CbCompoundArgs args) {
        CbSequenceArgs s = (CbSequenceArgs) args.operations().get(0);
        return new CbCompoundResult(NfsStatus.NFS4_OK, new byte[0], List.of(
                new CbSequenceResult(NfsStatus.NFS4_OK, s.sessionId(), s.sequenceId(), s.slotId(), s.highestSlotId(),
                        s.highestSlotId()),
                new CbStatusResult(args.operations().get(1).opcode(), NfsStatus.NFS4_OK)));
    }

    /** Answers every call at once, on the calling thread (already completed stages). */
    static final class Answering implements CallbackTransport {
        @Override
        public CompletionStage<Void> nullAsync() {
            return CompletableFuture.completedStage(null);
        }

        @Override
        public CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args) {
            return CompletableFuture.completedStage(okReply(args));
        }

        @Override
        public void close() {
            // nothing is ever pending
        }
    }

    /**
     * Answers probes at once and holds every CB_COMPOUND until {@link #answerAll} (the client answers)
     * or {@link #close} (the channel kills it; every held call fails, as a closed connection does).
     */
    static final class Holding implements CallbackTransport {
        private final Object lock = new Object();
        // guarded by lock
        private final List<CompletableFuture<CbCompoundResult>> held = new ArrayList<>();
        // guarded by lock
        private final List<CbCompoundArgs> heldArgs = new ArrayList<>();
        // guarded by lock
        private boolean closed;

        @Override
        public CompletionStage<Void> nullAsync() {
            return CompletableFuture.completedStage(null);
        }

        @Override
        public CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args) {
            CompletableFuture<CbCompoundResult> f = new CompletableFuture<>();
            synchronized (lock) {
                if (closed) {
                    f.completeExceptionally(new IllegalStateException("transport closed"));
                    return f;
                }
                held.add(f);
                heldArgs.add(args);
            }
            return f;
        }

        /** Calls sent and held so far. */
        int held() {
            synchronized (lock) {
                return held.size();
            }
        }

        /** The client answers every held call OK, on the calling thread. */
        void answerAll() {
            List<CompletableFuture<CbCompoundResult>> fs;
            List<CbCompoundArgs> as;
            synchronized (lock) {
                fs = List.copyOf(held);
                as = List.copyOf(heldArgs);
            }
            for (int i = 0; i < fs.size(); i++) {
                fs.get(i).complete(okReply(as.get(i)));
            }
        }

        @Override
        public void close() {
            List<CompletableFuture<CbCompoundResult>> fs;
            synchronized (lock) {
                closed = true;
                fs = List.copyOf(held);
            }
            IllegalStateException gone = new IllegalStateException("transport closed");
            for (CompletableFuture<CbCompoundResult> f : fs) {
                f.completeExceptionally(gone);
            }
        }
    }

    /** Tells a benchmark that one callback's release ran. */
    @FunctionalInterface
    interface ReleaseListener {
        void released();
    }

    /** A CB_RECALL whose steps do what a delegation recall's do, minus the delegation table. */
    static final class Recall extends Callback {
        private final ReleaseListener onRelease;
        private volatile boolean prepared;

        Recall(ReleaseListener onRelease) {
            super("CB_RECALL");
            this.onRelease = onRelease;
        }

        @Override
        public String subject() {
            return "bench";
        }

        @Override
        protected Optional<CbArgs> prepare() {
            prepared = true;
            return Optional.of(RECALL);
        }

        boolean prepared() {
            return prepared;
        }

        @Override
        protected void done(CallbackOutcome outcome) {
            // a recall records the outcome in its delegation; the benchmark needs nothing from it
        }

        @Override
        protected void release() {
            onRelease.released();
        }
    }

    /** Waits (bounded, spinning) until {@code condition} holds. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within 60 s: " + what);
            }
            Thread.onSpinWait();
        }
    }
}

package org.jnfsd.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;

/**
 * A {@link CallbackHandler} for tests: records every callback operation it receives, answers each
 * kind as told ({@link #answer}: OK by default), and lets a test wait, bounded, for the n-th
 * callback of a kind.
 *
 * <pre>{@code
 * RecordingCallbacks cb = new RecordingCallbacks();
 * cb.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.park()); // never answer...
 * try (NfsClient a = NfsClient.connect(address, 1, cred, cb)) {
 *     ...
 *     CbRecallArgs r = cb.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(30));
 *     cb.releaseParked(NfsStatus.NFS4_OK);                          // ...until now
 * }
 * }</pre>
 *
 * Thread-safe: all state is guarded by {@link #lock}.
 */
public final class RecordingCallbacks implements CallbackHandler {
    /** How to answer a kind of callback. */
    public sealed interface Answer {
        /** Answer with this status (CB_GETATTR: with the attributes of {@link #getattrReply} when OK). */
        record Status(NfsStatus status) implements Answer {}

        /** Never answer until {@link #releaseParked} (or the connection closes). */
        record Park() implements Answer {}

        static Answer ok() {
            return new Status(NfsStatus.NFS4_OK);
        }

        static Answer delay() {
            return new Status(NfsStatus.NFS4ERR_DELAY);
        }

        static Answer status(NfsStatus status) {
            return new Status(status);
        }

        static Answer park() {
            return new Park();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<CbOpcode, Answer> answers = new EnumMap<>(CbOpcode.class); // guarded by lock
    private final List<CbArgs> received = new ArrayList<>(); // guarded by lock
    private final List<CompletableFuture<NfsStatus>> parked = new ArrayList<>(); // guarded by lock
    private Fattr4 getattrReply = new Fattr4(new int[0], new byte[0]); // guarded by lock

    /** From now on, answers callbacks of kind {@code op} with {@code answer}. */
    public void answer(CbOpcode op, Answer answer) {
        lock.lock();
        try {
            answers.put(op, answer);
        } finally {
            lock.unlock();
        }
    }

    /** The attributes an OK CB_GETATTR answers with (default: none). */
    public void getattrReply(Fattr4 attributes) {
        lock.lock();
        try {
            getattrReply = attributes;
        } finally {
            lock.unlock();
        }
    }

    /** Every callback operation received so far (CB_SEQUENCE excluded), in order. */
    public List<CbArgs> received() {
        lock.lock();
        try {
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    /** The callbacks of kind {@code op} received so far, in order. */
    public List<CbArgs> received(CbOpcode op) {
        return received().stream().filter(a -> a.opcode() == op).toList();
    }

    /**
     * Waits until the {@code n}-th (from 1) callback of kind {@code op} has been received and
     * returns it.
     *
     * @throws TimeoutException if it has not arrived within {@code bound}
     */
    public <T extends CbArgs> T await(CbOpcode op, int n, Class<T> type, Duration bound)
            throws InterruptedException, TimeoutException {
        if (n < 1) {
            throw new IllegalArgumentException("n " + n);
        }
        long left = bound.toNanos();
        lock.lock();
        try {
            while (true) {
                List<CbArgs> ofKind = received.stream().filter(a -> a.opcode() == op).toList();
                if (ofKind.size() >= n) {
                    return type.cast(ofKind.get(n - 1));
                }
                if (left <= 0) {
                    throw new TimeoutException(op + " #" + n + " not received within " + bound + "; received "
                            + received.stream().map(CbArgs::opcode).toList());
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many answers are parked (callbacks received and not answered). */
    public int parkedCount() {
        lock.lock();
        try {
            return (int) parked.stream().filter(f -> !f.isDone()).count();
        } finally {
            lock.unlock();
        }
    }

    /** Answers every parked callback with {@code status}; returns how many there were. */
    public int releaseParked(NfsStatus status) {
        List<CompletableFuture<NfsStatus>> release;
        lock.lock();
        try {
            release = List.copyOf(parked);
            parked.clear();
        } finally {
            lock.unlock();
        }
        int n = 0;
        for (CompletableFuture<NfsStatus> f : release) {
            if (f.complete(status)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public CompletionStage<NfsStatus> recall(CbRecallArgs args) {
        return record(args);
    }

    @Override
    public CompletionStage<CbGetattrResult> getattr(CbGetattrArgs args) {
        Fattr4 attrs;
        lock.lock();
        try {
            attrs = getattrReply;
        } finally {
            lock.unlock();
        }
        return record(args).thenApply(s -> new CbGetattrResult(s, s.isOk() ? attrs : null));
    }

    @Override
    public CompletionStage<NfsStatus> recallAny(CbRecallAnyArgs args) {
        return record(args);
    }

    @Override
    public CompletionStage<NfsStatus> notifyLock(CbNotifyLockArgs args) {
        return record(args);
    }

    @Override
    public CompletionStage<NfsStatus> offload(CbOffloadArgs args) {
        return record(args);
    }

    private CompletionStage<NfsStatus> record(CbArgs args) {
        lock.lock();
        try {
            received.add(args);
            changed.signalAll();
            Answer a = answers.getOrDefault(args.opcode(), Answer.ok());
            return switch (a) {
                case Answer.Status s -> CompletableFuture.completedFuture(s.status());
                case Answer.Park p -> {
                    CompletableFuture<NfsStatus> f = new CompletableFuture<>();
                    parked.add(f);
                    yield f;
                }
            };
        } finally {
            lock.unlock();
        }
    }
}

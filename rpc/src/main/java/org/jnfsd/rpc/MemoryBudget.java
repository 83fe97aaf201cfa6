package org.jnfsd.rpc;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server-wide memory budget a peer's traffic may occupy: inbound record buffers (bytes of
 * records not yet complete, and complete records whose call is executing), queued replies (built,
 * not yet on the wire, or reserved by a call about to build one) and the sessions' reply caches.
 * One instance per server, shared by its connections and its NFS state. Thread-safe.
 *
 * <p>What happens at the limit is decided by each holder: the record decoder closes the connection
 * that holds the most unfinished-record bytes ({@link RpcServer}); a call reserving reply space
 * waits ({@link #awaitRoom}); CREATE_SESSION grants fewer cached slots
 * ({@link #tryCharge}). Charges and releases are plain counters: the budget never allocates.
 *
 * <p>{@link #defaultLimit} is the documented formula: a quarter of the JVM's maximum heap, at least
 * 64 MiB. Netty's buffers are direct memory, whose JVM limit defaults to the maximum heap, so the
 * same quarter keeps both well inside their limits.
 */
public final class MemoryBudget {
    /** What a charge is for; kept apart for the metrics. */
    public enum Kind { INBOUND_RECORDS, QUEUED_REPLIES, REPLY_CACHE }

    /** Lower bound of {@link #defaultLimit}. */
    public static final long MIN_DEFAULT_LIMIT = 64L << 20;

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final Map<Kind, AtomicLong> byKind = new EnumMap<>(Kind.class);
    /** Waiters of {@link #awaitRoom}; signalled by releases while any waits. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** Threads in {@link #awaitRoom}; a release takes the lock only when it is positive. */
    private final AtomicLong waiters = new AtomicLong();

    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("memory budget " + limit);
        }
        this.limit = limit;
        for (Kind k : Kind.values()) {
            byKind.put(k, new AtomicLong());
        }
    }

    /** A quarter of {@code maxHeap} (Runtime.maxMemory()), at least {@link #MIN_DEFAULT_LIMIT}. */
    public static long defaultLimit(long maxHeap) {
        return Math.max(MIN_DEFAULT_LIMIT, maxHeap / 4);
    }

    /** The budget of this JVM: {@link #defaultLimit} of its maximum heap. */
    public static MemoryBudget forThisJvm() {
        return new MemoryBudget(defaultLimit(Runtime.getRuntime().maxMemory()));
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used.get();
    }

    public long used(Kind kind) {
        return byKind.get(kind).get();
    }

    /** The highest {@link #used()} seen since the start (or the last {@link #resetPeak}). */
    public long peak() {
        return peak.get();
    }

    public void resetPeak() {
        peak.set(used.get());
    }

    /** True once more than {@code percent} % of the limit is used. */
    public boolean above(int percent) {
        return used.get() * 100 > limit * percent;
    }

    /** Charges {@code bytes} whatever the limit (they are already held); returns the new total. */
    public long charge(Kind kind, long bytes) {
        byKind.get(kind).addAndGet(bytes);
        long now = used.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
        return now;
    }

    /** Charges {@code bytes} only if the total stays within the limit. */
    public boolean tryCharge(Kind kind, long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        byKind.get(kind).addAndGet(bytes);
        peak.accumulateAndGet(now + bytes, Math::max);
        return true;
    }

    public void release(Kind kind, long bytes) {
        byKind.get(kind).addAndGet(-bytes);
        used.addAndGet(-bytes);
        if (waiters.get() > 0) {
            lock.lock();
            try {
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until {@code bytes} more fit within the limit, then charges them; blocks (call threads
     * only, never an event loop).
     *
     * @return false when {@code timeoutNanos} passed first (nothing charged)
     */
    boolean awaitRoom(Kind kind, long bytes, long timeoutNanos) throws InterruptedException {
        if (tryCharge(kind, bytes)) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        waiters.incrementAndGet();
        lock.lock();
        try {
            while (!tryCharge(kind, bytes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                released.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used.get() + " of " + limit + " bytes used, " + byKind + "]";
    }
}

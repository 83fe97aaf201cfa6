package org.jnfsd.rpc;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes one connection makes the server hold, for back pressure: records of calls executing
 * (from the moment the record is complete until the call has run) and replies (reserved by a call
 * about to build a large one, built and queued, or written but not yet on the wire). Each byte is
 * also charged to the server-wide {@link MemoryBudget}.
 *
 * <p>The connection reads only while {@link #held()} is at most {@link #bound} (it resumes once
 * it is back to half), so a peer that stops reading its replies makes the server hold at most the
 * bound plus the calls already executing. A call that knows its reply will be large (a 1 MiB
 * READ) reserves it first ({@link #reserve}); the reservation waits, on the call's virtual thread,
 * until the connection's replies fit in the bound, so even calls already executing cannot pile up
 * unsent replies beyond it. A reply that is never sent is released when the connection closes
 * ({@link #close} wakes the waiters).
 *
 * <p>Thread-safe: counters under {@link #lock}; record and write events come from the event loop,
 * reservations from call threads.
 */
final class ConnectionBackPressure {
    private final long bound;
    private final MemoryBudget budget;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    /** Guarded by lock: bytes of records whose call is executing. */
    private long records;
    /** Guarded by lock: bytes of replies reserved, queued or being written. */
    private long replies;
    /** Guarded by lock: bytes of replies written to the socket (or dropped) since the start. */
    private long written;
    /** Guarded by lock. */
    private boolean closed;

    ConnectionBackPressure(long bound, MemoryBudget budget) {
        if (bound < 2) {
            throw new IllegalArgumentException("back-pressure bound " + bound);
        }
        this.bound = bound;
        this.budget = budget;
    }

    long bound() {
        return bound;
    }

    /** Bytes held now: records executing plus replies not yet on the wire. */
    long held() {
        lock.lock();
        try {
            return records + replies;
        } finally {
            lock.unlock();
        }
    }

    /** Reply bytes reserved, queued or being written now. */
    long replyBytes() {
        lock.lock();
        try {
            return replies;
        } finally {
            lock.unlock();
        }
    }

    /** Reply bytes written so far: the drain check compares two readings. */
    long written() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    /** True while reading must stay off; {@code paused} is the current state (hysteresis). */
    boolean overBound(boolean paused) {
        long h = held();
        return paused ? h > bound / 2 : h > bound;
    }

    void recordStarted(int bytes) {
        budget.charge(MemoryBudget.Kind.INBOUND_RECORDS, bytes);
        lock.lock();
        try {
            records += bytes;
        } finally {
            lock.unlock();
        }
    }

    void recordFinished(int bytes) {
        budget.release(MemoryBudget.Kind.INBOUND_RECORDS, bytes);
        lock.lock();
        try {
            records -= bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code bytes} more reply bytes fit in the bound (or no other reply is held, so
     * that one reply larger than the bound still goes), then counts them as reserved; then waits
     * likewise for room in the server-wide budget. Blocks: call threads only.
     *
     * @return false if the connection closed or {@code timeoutNanos} passed first (nothing held)
     */
    boolean reserve(long bytes, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!closed && replies > 0 && replies + bytes > bound) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                drained.awaitNanos(left);
            }
            if (closed) {
                return false;
            }
            replies += bytes;
        } finally {
            lock.unlock();
        }
        if (!budget.awaitRoom(MemoryBudget.Kind.QUEUED_REPLIES, bytes, Math.max(0, deadline - System.nanoTime()))) {
            replyDone(bytes, false);
            return false;
        }
        return true;
    }

    /** A reply of {@code size} bytes was queued by a call that had reserved {@code reserved}. */
    void replyQueued(long reserved, int size) {
        long delta = size - reserved;
        if (delta >= 0) {
            budget.charge(MemoryBudget.Kind.QUEUED_REPLIES, delta);
        } else {
            budget.release(MemoryBudget.Kind.QUEUED_REPLIES, -delta);
        }
        lock.lock();
        try {
            replies += delta;
            if (delta < 0) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A reservation was given up without a reply (the call failed). */
    void unreserve(long reserved) {
        if (reserved > 0) {
            replyDone(reserved, false);
        }
    }

    /** {@code size} bytes of replies left the queue: written to the socket, or dropped. */
    void replyWritten(int size) {
        replyDone(size, true);
    }

    private void replyDone(long size, boolean written) {
        budget.release(MemoryBudget.Kind.QUEUED_REPLIES, size);
        lock.lock();
        try {
            replies -= size;
            if (written) {
                this.written += size;
            }
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection closed: waiting reservations give up. */
    void close() {
        lock.lock();
        try {
            closed = true;
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

package org.jnfsd.client;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's fore-channel slots: a queue of free slots, so that at most one COMPOUND uses a slot
 * at a time and as many threads as there are slots run COMPOUNDs concurrently.
 *
 * <p>Concurrency: a slot's sequence id is only touched by the thread that took the slot from
 * {@link #free}; the queue hands it over (happens-before) to the next taker.
 */
final class SlotTable {
    private final int[] seqids;
    private final BlockingQueue<Integer> free;
    /** Slots not retired. */
    private final AtomicInteger live;

    SlotTable(int slots) {
        this.seqids = new int[slots];
        this.free = new ArrayBlockingQueue<>(slots);
        this.live = new AtomicInteger(slots);
        for (int i = 0; i < slots; i++) {
            free.add(i);
        }
    }

    int size() {
        return seqids.length;
    }

    /** Waits (at most {@code timeout}) for a free slot; returns its index. */
    int acquire(Duration timeout) throws InterruptedException {
        Integer slot = free.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (slot == null) {
            throw new IllegalStateException("no free slot within " + timeout);
        }
        return slot;
    }

    /** The sequence id the next request on {@code slot} must carry. Only by the slot's holder. */
    int nextSeqid(int slot) {
        return seqids[slot] + 1;
    }

    /**
     * Returns the slot; {@code consumed} says whether the server processed the request's SEQUENCE
     * (its seqid then advances) or refused it before that (it stays).
     */
    void release(int slot, boolean consumed) {
        if (consumed) {
            seqids[slot]++;
        }
        free.add(slot);
    }

    /**
     * A request's outcome is unknown (no reply): the slot is retired, because its next request
     * would be taken by the server as a retry of the lost one.
     */
    void retire(int slot) {
        live.decrementAndGet();
    }

    /**
     * Takes every slot still in the table, waiting for requests in flight, at most {@code timeout}.
     * Afterwards no slot is free: nobody can send on the session any more.
     *
     * @return false if some request was still in flight at the deadline
     */
    boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int taken = 0;
        while (taken < live.get()) {
            Integer s = free.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                return false;
            }
            taken++;
        }
        return true;
    }
}

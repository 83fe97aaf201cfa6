package org.jnfsd.core.state;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} with a place in the state core's one lock order ({@link Rank}). With
 * assertions on (every test run), taking it while the thread holds a lock of a later rank throws
 * an {@link AssertionError} naming both: an inversion shows on the first single-threaded run of the
 * path that takes it, not as a rare deadlock under load. With assertions off (production) it is a
 * plain {@code ReentrantLock}: the checks are {@code assert} statements and cost nothing.
 *
 * <p>Re-taking a lock the thread already holds is always allowed (it is reentrant). Two locks of
 * the same rank (two files' locks) must never be held together; that is checked too.
 */
public final class OrderedLock extends ReentrantLock {
    /**
     * The order, first to last: a thread holding a lock may take only locks of a later rank.
     * (LockManager's per-file lock, then its per-client lock, then OpenStates' per-file lock,
     * then OpenStates' per-client table; the delegation table's one lock is a leaf: nothing else
     * is taken under it.)
     */
    public enum Rank {
        LOCK_FILE,
        LOCK_CLIENT,
        OPEN_FILE,
        OPEN_CLIENT,
        DELEGATIONS
    }

    private static final long serialVersionUID = 1L;
    private static final Rank[] RANKS = Rank.values();
    /** How many locks of each rank the current thread holds (holds, not acquisitions). */
    private static final ThreadLocal<int[]> HELD = ThreadLocal.withInitial(() -> new int[RANKS.length]);

    private final Rank rank;

    public OrderedLock(Rank rank) {
        this.rank = rank;
    }

    public Rank rank() {
        return rank;
    }

    @Override
    public void lock() {
        assert checkOrder();
        super.lock();
        assert noteLocked();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        assert checkOrder();
        super.lockInterruptibly();
        assert noteLocked();
    }

    /**
     * A try never waits, so it cannot close a deadlock: no order check. The hold is still noted,
     * so that {@link #unlock} keeps the thread's count of held ranks exact.
     */
    @Override
    public boolean tryLock() {
        boolean locked = super.tryLock();
        assert !locked || noteLocked();
        return locked;
    }

    @Override
    public boolean tryLock(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        assert checkOrder();
        boolean locked = super.tryLock(timeout, unit);
        assert !locked || noteLocked();
        return locked;
    }

    @Override
    public void unlock() {
        boolean last = getHoldCount() == 1;
        super.unlock();
        assert !last || noteUnlocked();
    }

    private boolean checkOrder() {
        if (isHeldByCurrentThread()) {
            return true;
        }
        int[] held = HELD.get();
        for (int r = rank.ordinal(); r < RANKS.length; r++) {
            if (held[r] > 0) {
                throw new AssertionError("lock order: taking a " + rank + " lock while holding a " + RANKS[r]
                        + " lock (the order is " + java.util.Arrays.toString(RANKS) + ")");
            }
        }
        return true;
    }

    private boolean noteLocked() {
        if (getHoldCount() == 1) {
            HELD.get()[rank.ordinal()]++;
        }
        return true;
    }

    private boolean noteUnlocked() {
        HELD.get()[rank.ordinal()]--;
        return true;
    }
}

package org.jnfsd.rpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts incoming calls between their dispatch (on the event loop, before the virtual thread is
 * started) and the moment their reply has been queued for the event loop to write, so that closing a server or
 * client can wait for them. Shared by all connections of one server or client. Thread-safe.
 */
final class InFlightCalls {
    private final Object lock = new Object();
    /** Guarded by lock. */
    private int count;

    void enter() {
        synchronized (lock) {
            count++;
        }
    }

    void exit() {
        synchronized (lock) {
            if (--count == 0) {
                lock.notifyAll();
            }
        }
    }

    int count() {
        synchronized (lock) {
            return count;
        }
    }

    /**
     * Waits until no call is in flight, at most {@code timeout}. Blocks: never call on an event loop.
     *
     * @return the number still in flight (0 on success)
     */
    int awaitZero(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (count > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return count;
        }
    }
}

package org.jnfsd.core.lease;

import java.time.Duration;

/**
 * The scheduling the laundromat needs, injected so that core never sleeps: production wraps a
 * {@link java.util.concurrent.ScheduledExecutorService} ({@link ExecutorLeaseScheduler}); tests
 * use a scheduler they step by hand.
 */
public interface LeaseScheduler {
    /** A scheduled task; {@link #cancel} stops future runs (a run in progress finishes). */
    interface Task {
        void cancel();
    }

    /** Runs {@code task} repeatedly, {@code delay} after the end of each run (first run after one delay). */
    Task scheduleWithFixedDelay(Runnable task, Duration delay);
}

package org.jnfsd.core.callback;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Injected timers for callback timeouts, retry delays and the bounded teardown wait. */
@FunctionalInterface
public interface CallbackScheduler {
    /** A scheduled task that can be cancelled (cancelling a task that ran is harmless). */
    interface Timer {
        void cancel();
    }

    /** Runs {@code task} once after {@code delay}; the task must not block. */
    Timer schedule(Runnable task, Duration delay);

    /** A scheduler over a JDK scheduled executor (production). */
    static CallbackScheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }
}

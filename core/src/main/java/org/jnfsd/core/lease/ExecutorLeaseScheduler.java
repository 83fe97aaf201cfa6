package org.jnfsd.core.lease;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A {@link LeaseScheduler} on a {@link ScheduledExecutorService} owned by the caller. */
public final class ExecutorLeaseScheduler implements LeaseScheduler {
    private final ScheduledExecutorService executor;

    public ExecutorLeaseScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Task scheduleWithFixedDelay(Runnable task, Duration delay) {
        long nanos = delay.toNanos();
        ScheduledFuture<?> f = executor.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}

package org.jnfsd.core.callback;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor: one client's ordered
 * callback queue. Thread-safe. {@link #scheduled} is true while a drain task is submitted or running;
 * only the drain task runs queued tasks.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor underlying;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor underlying) {
        this.underlying = underlying;
    }

    /** @throws RejectedExecutionException if the underlying executor refuses (the task is not kept) */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule(task);
    }

    private void schedule(Runnable justAdded) {
        if (scheduled.compareAndSet(false, true)) {
            try {
                underlying.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                if (justAdded != null) {
                    tasks.remove(justAdded);
                }
                throw e;
            }
        }
    }

    private void drain() {
        try {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                try {
                    t.run();
                } catch (RuntimeException e) {
                    log.error("callback queue task failed", e);
                }
            }
        } finally {
            scheduled.set(false);
        }
        // a task added after the last poll but before scheduled was cleared
        if (!tasks.isEmpty()) {
            schedule(null);
        }
    }
}

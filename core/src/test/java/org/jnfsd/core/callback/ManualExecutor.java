package org.jnfsd.core.callback;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** An executor the test drives: tasks wait until {@link #runAll} or {@link #runOne}; it can refuse. */
final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    boolean rejecting;

    @Override
    public synchronized void execute(Runnable task) {
        if (rejecting) {
            throw new RejectedExecutionException("test executor rejects");
        }
        tasks.add(task);
    }

    synchronized int pending() {
        return tasks.size();
    }

    boolean runOne() {
        Runnable t;
        synchronized (this) {
            t = tasks.poll();
        }
        if (t == null) {
            return false;
        }
        t.run();
        return true;
    }

    /** Runs tasks until none is left; fails if that takes more than 100,000 (a loop). */
    int runAll() {
        int n = 0;
        while (runOne()) {
            if (++n > 100_000) {
                throw new AssertionError("executor never quiesces: busy loop");
            }
        }
        return n;
    }
}

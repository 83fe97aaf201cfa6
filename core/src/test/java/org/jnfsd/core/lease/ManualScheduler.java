package org.jnfsd.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link LeaseScheduler} whose tasks run only when a test calls {@link #runAll}. Single-threaded. */
public final class ManualScheduler implements LeaseScheduler {
    private final List<Entry> entries = new ArrayList<>();

    private static final class Entry implements Task {
        final Runnable task;
        final Duration delay;
        boolean cancelled;

        Entry(Runnable task, Duration delay) {
            this.task = task;
            this.delay = delay;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Task scheduleWithFixedDelay(Runnable task, Duration delay) {
        Entry e = new Entry(task, delay);
        entries.add(e);
        return e;
    }

    /** Runs every task not cancelled once; returns how many ran. */
    public int runAll() {
        int n = 0;
        for (Entry e : List.copyOf(entries)) {
            if (!e.cancelled) {
                e.task.run();
                n++;
            }
        }
        return n;
    }

    /** The delay of the only task scheduled. */
    public Duration onlyDelay() {
        if (entries.size() != 1) {
            throw new IllegalStateException(entries.size() + " tasks scheduled");
        }
        return entries.get(0).delay;
    }
}

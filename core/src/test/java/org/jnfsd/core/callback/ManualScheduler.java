package org.jnfsd.core.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A manual clock and the timers on it: time moves only in {@link #advance}. */
public final class ManualScheduler extends Clock implements CallbackScheduler {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long seq;
    private final List<Entry> entries = new ArrayList<>();

    private static final class Entry implements Timer {
        final Instant due;
        final long order;
        final Runnable task;
        boolean cancelled;

        Entry(Instant due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Timer schedule(Runnable task, Duration delay) {
        Entry e = new Entry(now.plus(delay), seq++, task);
        entries.add(e);
        return e;
    }

    /** Timers scheduled and not cancelled or run. */
    public synchronized int pendingTimers() {
        return (int) entries.stream().filter(e -> !e.cancelled).count();
    }

    /** How long until the earliest pending timer falls due, or null when none is pending. */
    public synchronized Duration nextDelay() {
        return entries.stream().filter(e -> !e.cancelled).map(e -> e.due).min(Comparator.naturalOrder())
                .map(due -> Duration.between(now, due)).orElse(null);
    }

    /** Moves time forward, running the timers that fall due, in order. */
    public void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        for (int i = 0; i < 100_000; i++) {
            Entry next;
            synchronized (this) {
                next = entries.stream().filter(e -> !e.cancelled && !e.due.isAfter(target))
                        .min(Comparator.comparing((Entry e) -> e.due).thenComparingLong(e -> e.order)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                entries.remove(next);
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
            }
            next.task.run();
        }
        throw new AssertionError("timers never quiesce");
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}

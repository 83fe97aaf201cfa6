package org.jnfsd.core.lease;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one scheduled task that expires leases: each run ({@link #runOnce}) asks the session manager
 * to sweep (lapsed leases become COURTESY; courtesy clients beyond the configured number, oldest
 * first, or older than the maximum courtesy time, expire) and starts the teardown of what expired
 * on the teardown executor ({@link ClientTeardown#start}: the run does not wait for it), then runs
 * the other state tables' periodic tasks ({@link #tasks}, in list order: revoking unanswered
 * recalls, reaping expired lock waiters, ...). A task that throws is logged; the later tasks still run.
 *
 * <p>Cost: a sweep walks the lease queue and the courtesy queue from their heads and stops at the
 * first record that is not due ({@link SessionManager#sweep}), so a run visits the records it
 * changes plus at most two; it does not scan all clients. {@link #visited()} counts the records
 * visited, for tests and the benchmark.
 *
 * <pre>
 *   NEW ──start──► RUNNING ──close──► STOPPED
 *    └──────────────close─────────────────┘
 * </pre>
 *
 * {@link #state} is changed only by compare-and-set. Runs happen on the scheduler's thread, one at
 * a time (fixed delay); {@link #runOnce} may also be called directly (tests, admin).
 */
public final class Laundromat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Laundromat.class);

    /** The lifecycle; see the class comment. */
    public enum State { NEW, RUNNING, STOPPED }

    private final SessionManager sessions;
    private final ClientTeardown teardown;
    private final Duration period;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Written once by start(), read by close(). */
    private volatile LeaseScheduler.Task task;
    private final AtomicLong visited = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private final List<Runnable> tasks;

    public Laundromat(ServerConfig config, SessionManager sessions, ClientTeardown teardown) {
        this(config, sessions, teardown, List.of());
    }

    /**
     * A laundromat that also runs each of {@code tasks} (revoking delegations whose recall went
     * unanswered for a lease, reaping expired lock waiters, ...) after each sweep's teardowns, in
     * list order, on the same thread. Each state table adds its own entry.
     */
    public Laundromat(ServerConfig config, SessionManager sessions, ClientTeardown teardown, List<Runnable> tasks) {
        this.sessions = sessions;
        this.teardown = teardown;
        this.tasks = List.copyOf(tasks);
        this.period = periodFor(config.leaseTime());
    }

    /** A tenth of the lease, at least a second and at most the lease: expiry is late by at most that. */
    static Duration periodFor(Duration lease) {
        Duration p = lease.dividedBy(10);
        if (p.compareTo(Duration.ofSeconds(1)) < 0) {
            p = Duration.ofSeconds(1);
        }
        return p.compareTo(lease) > 0 ? lease : p;
    }

    /** Schedules the runs. */
    public void start(LeaseScheduler scheduler) {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("laundromat is " + state.get());
        }
        task = scheduler.scheduleWithFixedDelay(this::runScheduled, period);
        log.debug("laundromat started, every {}", period);
    }

    public State state() {
        return state.get();
    }

    public Duration period() {
        return period;
    }

    private void runScheduled() {
        if (state.get() != State.RUNNING) {
            return;
        }
        try {
            runOnce();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log it and keep the laundromat alive
            log.error("laundromat run failed", e);
        }
    }

    /** One sweep, starting the teardowns it asks for (without waiting for them); returns what the sweep did. */
    public SessionManager.Sweep runOnce() {
        SessionManager.Sweep sweep = sessions.sweep();
        visited.addAndGet(sweep.visited());
        runs.incrementAndGet();
        for (ClientRecord c : sweep.tearDownNow()) {
            // only started: a client waiting on its teardown bound never delays the sweep or the others
            teardown.start(c);
        }
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // one table's failure must not starve the others' expiry
                log.error("laundromat task {} failed", task, e);
            }
        }
        if (sweep.courtesyEntered() > 0 || sweep.expired() > 0) {
            log.debug("laundromat: {} became courtesy clients, {} expired ({} torn down now), {} visited",
                    sweep.courtesyEntered(), sweep.expired(), sweep.tearDownNow().size(), sweep.visited());
        }
        return sweep;
    }

    /** Client records visited by all runs so far. */
    public long visited() {
        return visited.get();
    }

    /** Runs so far. */
    public long runs() {
        return runs.get();
    }

    /** Cancels future runs; idempotent. A run in progress finishes (its scheduler's owner bounds the wait). */
    @Override
    public void close() {
        State prev = state.getAndSet(State.STOPPED);
        LeaseScheduler.Task t = task;
        if (prev == State.RUNNING && t != null) {
            t.cancel();
        }
    }
}

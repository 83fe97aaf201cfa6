package org.jnfsd.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.callback.TeardownReport;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server shutdown in the declared order (architecture.md, "State and lifecycles"), before the
 * RPC server closes the connections:
 * <ol>
 *   <li>refuse new work: {@link ClientTeardown#beginShutdown} (recovery records are kept), then
 *       {@link SessionManager#shutDown} expires every client record and refuses EXCHANGE_ID;
 *   <li>tear every expired client down, in parallel, in {@link org.jnfsd.core.state.TeardownStep}
 *       order (revoke delegations, release locks and opens, stop copies, kill the callback channel,
 *       drain it, wait for its callbacks in flight), the whole bounded by {@code bound};
 *   <li>kill every callback channel still left (a client whose teardown waits for its last
 *       compound in flight, or a stuck teardown), bounded by {@code bound} again, force-releasing
 *       what is stuck;
 *   <li>log what was stuck, by client and by callback.
 * </ol>
 * So shutdown takes at most about twice {@code bound} however clients behave; both bounds are
 * timed on the injected callback timers, never waited for in real time (the real-time wait of
 * {@link #run} only guards against timers that never run). Stateless; a second run finds nothing
 * to do. Thread-safe.
 */
public final class ServerShutdown {
    private static final Logger log = LoggerFactory.getLogger(ServerShutdown.class);
    /** Extra wait past a bound, for the work that the bound itself ends (force-releases) to report. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    /**
     * What shutdown did: clients torn down within the bound, those whose teardown had not ended
     * (by name), and callbacks force-released when their channel was killed (kind, subject, age, step).
     */
    public record Report(int clientsTornDown, List<String> stuckClients, List<String> forceReleasedCallbacks) {
        public Report {
            stuckClients = List.copyOf(stuckClients);
            forceReleasedCallbacks = List.copyOf(forceReleasedCallbacks);
        }
    }

    private final SessionManager sessions;
    private final ClientTeardown teardown;
    private final CallbackService callbacks;
    private final CallbackScheduler timers;

    /**
     * Each client's teardown is started on the teardown's own executor ({@link ClientTeardown#start});
     * both bounds are timed on {@code timers} (the callback timers), so a test drives them by hand.
     */
    public ServerShutdown(SessionManager sessions, ClientTeardown teardown, CallbackService callbacks,
            CallbackScheduler timers) {
        this.sessions = sessions;
        this.teardown = teardown;
        this.callbacks = callbacks;
        this.timers = timers;
    }

    /**
     * Starts the shutdown steps; the stage completes once both phases ended or ran out of their
     * bound on {@code timers}, so within about twice {@code bound} however clients behave.
     */
    public CompletionStage<Report> start(Duration bound) {
        teardown.beginShutdown();
        List<ClientRecord> clients = sessions.shutDown();
        List<CompletableFuture<Void>> running = new ArrayList<>(clients.size());
        for (ClientRecord c : clients) {
            running.add(teardown.start(c).toCompletableFuture());
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
        return within(all, bound).thenCompose(v -> {
            List<String> stuck = stuckClients(clients, running);
            CompletableFuture<List<TeardownReport>> killed = callbacks.killAllAsync(bound).toCompletableFuture();
            // each channel force-releases at its own bound; the slack lets those reports arrive
            return within(killed, bound.plus(SLACK))
                    .thenApply(w -> report(clients.size() - stuck.size(), stuck, killed, bound));
        });
    }

    /**
     * {@link #start} and waits for it; the wait in real time is only a guard against timers that
     * never run (about twice {@code bound} plus slack), after which every client counts as stuck.
     */
    public Report run(Duration bound) {
        Duration guard = bound.multipliedBy(2).plus(SLACK.multipliedBy(2));
        try {
            return start(bound).toCompletableFuture().get(guard.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("shutdown: interrupted", e);
        } catch (ExecutionException e) {
            log.error("shutdown: failed", e.getCause());
        } catch (TimeoutException e) {
            log.error("shutdown: not finished within {}: the callback timers did not run", guard);
        }
        return new Report(0, List.of("shutdown not finished"), List.of());
    }

    /** Completes when {@code f} completes (either way) or when {@code bound} passes, whichever is first. */
    private CompletableFuture<Void> within(CompletableFuture<?> f, Duration bound) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CallbackScheduler.Timer timer = timers.schedule(() -> done.complete(null), bound);
        f.whenComplete((v, e) -> {
            timer.cancel();
            done.complete(null);
        });
        return done;
    }

    private static List<String> stuckClients(List<ClientRecord> clients, List<CompletableFuture<Void>> running) {
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            CompletableFuture<Void> f = running.get(i);
            if (!f.isDone()) {
                stuck.add(clients.get(i).toString());
            } else if (f.isCompletedExceptionally()) {
                stuck.add(clients.get(i) + " (teardown failed)");
                log.error("shutdown: teardown of {} failed", clients.get(i), f.exceptionNow());
            }
        }
        return stuck;
    }

    private static Report report(int done, List<String> stuck, CompletableFuture<List<TeardownReport>> killed,
            Duration bound) {
        List<String> forced = new ArrayList<>();
        if (!killed.isDone()) {
            log.warn("shutdown: callback channels still being killed after {}", bound);
        } else if (killed.isCompletedExceptionally()) {
            log.error("shutdown: killing the callback channels failed", killed.exceptionNow());
        } else {
            killed.join().forEach(r -> forced.addAll(r.forceReleased()));
        }
        if (!stuck.isEmpty()) {
            log.warn("shutdown: teardown of {} clients not finished within {}: {}", stuck.size(), bound, stuck);
        }
        if (!forced.isEmpty()) {
            log.warn("shutdown: callbacks force-released: {}", forced);
        }
        log.info("shutdown: {} clients torn down, {} stuck, {} callbacks force-released", done, stuck.size(),
                forced.size());
        return new Report(done, stuck, forced);
    }
}

package org.jnfsd.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * So shutdown takes at most about twice {@code bound} however clients behave. Stateless; a second
 * run finds nothing to do. Thread-safe.
 */
public final class ServerShutdown {
    private static final Logger log = LoggerFactory.getLogger(ServerShutdown.class);
    /** Extra wait past a bound, for the scheduling of work that the bound itself ends. */
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

    /** Each client's teardown is started on the teardown's own executor ({@link ClientTeardown#start}). */
    public ServerShutdown(SessionManager sessions, ClientTeardown teardown, CallbackService callbacks) {
        this.sessions = sessions;
        this.teardown = teardown;
        this.callbacks = callbacks;
    }

    /** Runs the shutdown steps; returns after at most about twice {@code bound}. */
    public Report run(Duration bound) {
        teardown.beginShutdown();
        List<ClientRecord> clients = sessions.shutDown();
        List<CompletableFuture<Void>> running = new ArrayList<>(clients.size());
        for (ClientRecord c : clients) {
            running.add(teardown.start(c).toCompletableFuture());
        }
        awaitQuietly(CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)), bound, "client teardowns");
        List<String> stuck = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < clients.size(); i++) {
            CompletableFuture<Void> f = running.get(i);
            if (!f.isDone()) {
                stuck.add(clients.get(i).toString());
            } else if (f.isCompletedExceptionally()) {
                stuck.add(clients.get(i) + " (teardown failed)");
                log.error("shutdown: teardown of {} failed", clients.get(i), f.exceptionNow());
            } else {
                done++;
            }
        }
        List<String> forced = new ArrayList<>();
        CompletableFuture<List<TeardownReport>> killed = callbacks.killAllAsync(bound).toCompletableFuture();
        awaitQuietly(killed, bound, "callback channels");
        if (killed.isDone() && !killed.isCompletedExceptionally()) {
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

    private static void awaitQuietly(CompletableFuture<?> f, Duration bound, String what) {
        try {
            f.get(bound.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("shutdown: interrupted while waiting for {}", what, e);
        } catch (ExecutionException e) {
            log.error("shutdown: waiting for {} failed", what, e.getCause());
        } catch (TimeoutException e) {
            log.warn("shutdown: {} still running after {}", what, bound.plus(SLACK), e);
        }
    }
}

package org.jnfsd.core.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a client's state is torn down, in the order {@link TeardownStep} declares. Before
 * it runs, the session manager has refused new work from the client (unhashed it and drained its
 * sessions) and no compound of the client is in flight; after the last step the record is
 * DESTROYED ({@link SessionManager#finishExpiry}).
 *
 * <p>Callers: the laundromat (lease and courtesy expiry), the last compound of an expiring client
 * (4.1 and 4.0) and server shutdown only {@link #start} it on the teardown executor (the sweep
 * returns at once; the compound's reply is sent first); a conflicting request expiring a courtesy client ({@link CourtesyResolver}),
 * DESTROY_CLIENTID, the replacement of a client record (EXCHANGE_ID, CREATE_SESSION) and an admin
 * eviction run it with {@link #tearDown}, which releases the state on their thread and leaves what
 * follows the first step that waits to the executor. No step blocks a thread on a
 * wait: STOP_COPIES and WAIT_CALLBACKS_IN_FLIGHT return stages bounded on the callback scheduler.
 *
 * <p>Hooks are fixed at construction (sorted by step, stable for equal steps) and must be
 * idempotent; a hook that throws is logged with the client and the step, and the teardown goes on
 * with the next hook so that one broken kind of state cannot pin the others. Thread-safe.
 *
 * <p>Mode, changed once by compare-and-set:
 * <pre>
 *   SERVING ──beginShutdown()──► SHUTTING_DOWN
 * </pre>
 * While SHUTTING_DOWN (server shutdown, {@link ServerShutdown}) teardowns skip
 * {@link TeardownStep#FORGET_RECOVERY_RECORD}: a server that stops keeps its clients' right to
 * reclaim after the restart; only a client destroyed or expired while the server serves loses it.
 */
public final class ClientTeardown {
    private static final Logger log = LoggerFactory.getLogger(ClientTeardown.class);

    /** See the class comment. */
    enum Mode { SERVING, SHUTTING_DOWN }

    private final SessionManager sessions;
    private final List<ClientStateHook> hooks;
    private final Executor executor;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.SERVING);
    private final AtomicLong hookFailures = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong tornDown = new AtomicLong();

    /** Teardowns whose steps all run on the caller's thread (tests of the step order). */
    public ClientTeardown(SessionManager sessions, List<? extends ClientStateHook> hooks) {
        this(sessions, hooks, Runnable::run);
    }

    /**
     * @param executor runs the teardowns {@link #start}ed, and every step after one that waited
     *     (the server's bounded teardown executor, owned by {@link org.jnfsd.core.ServerContext})
     */
    public ClientTeardown(SessionManager sessions, List<? extends ClientStateHook> hooks, Executor executor) {
        this.sessions = sessions;
        List<ClientStateHook> sorted = new ArrayList<>(hooks);
        sorted.sort(Comparator.comparing(ClientStateHook::step));
        this.hooks = List.copyOf(sorted);
        this.executor = executor;
    }

    /**
     * Starts the teardown of {@code client} on the teardown executor and returns at once (the
     * laundromat and the last COMPOUND of an expired client: neither waits for it). The stage
     * completes when the record is DESTROYED.
     */
    public CompletionStage<Void> start(ClientRecord client) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        started.incrementAndGet();
        execute(client, () -> runFrom(client, 0, done));
        return done.minimalCompletionStage();
    }

    /**
     * Releases every kind of state of {@code client}, step by step, and marks it DESTROYED. The
     * steps run on the caller's thread up to the first one that waits (for copy tasks to return,
     * or for callbacks in flight); the rest run on the teardown executor once it is done, so the
     * caller never blocks: when this returns, the delegations, locks and opens of the client are
     * released and its copies cancelled, and, unless a copy task is still stopping, its callback
     * channel is killed. The stage completes when the record is DESTROYED.
     */
    public CompletionStage<Void> tearDown(ClientRecord client) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        started.incrementAndGet();
        runFrom(client, 0, done);
        return done.minimalCompletionStage();
    }

    /** Runs the hooks from index {@code from} until one returns a stage not yet done, then chains the rest on it. */
    private void runFrom(ClientRecord client, int from, CompletableFuture<Void> done) {
        long id = client.id().value();
        for (int i = from; i < hooks.size(); i++) {
            ClientStateHook h = hooks.get(i);
            if (h.step() == TeardownStep.FORGET_RECOVERY_RECORD && mode.get() == Mode.SHUTTING_DOWN) {
                continue;
            }
            CompletableFuture<Void> stage;
            try {
                stage = h.release(id).toCompletableFuture();
            } catch (RuntimeException e) {
                failed(client, h, e);
                continue;
            }
            if (!stage.isDone()) {
                int next = i + 1;
                stage.whenComplete((v, e) -> {
                    if (e != null) {
                        failed(client, h, e);
                    }
                    execute(client, () -> runFrom(client, next, done));
                });
                return;
            }
            if (stage.isCompletedExceptionally()) {
                failed(client, h, stage.exceptionNow());
            }
        }
        try {
            sessions.finishExpiry(client);
            tornDown.incrementAndGet();
            log.debug("{} torn down", client);
            done.complete(null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            throw e;
        }
    }

    /** Runs {@code r} on the executor; on the caller's thread if the executor refuses it (stopped). */
    private void execute(ClientRecord client, Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            log.warn("teardown of {}: executor refused the next step ({}); running it here", client, e.getMessage());
            r.run();
        }
    }

    private void failed(ClientRecord client, ClientStateHook h, Throwable e) {
        hookFailures.incrementAndGet();
        log.error("teardown of {}: step {} ({}) failed", client, h.step(), h.getClass().getSimpleName(), e);
    }

    /** Server shutdown begins: later teardowns keep the clients' recovery records. Idempotent. */
    public void beginShutdown() {
        mode.compareAndSet(Mode.SERVING, Mode.SHUTTING_DOWN);
    }

    /** Whether any kind of state of {@code clientId} remains (DESTROY_CLIENTID's busy check). */
    public boolean hasState(long clientId) {
        for (ClientStateHook h : hooks) {
            if (h.hasState(clientId)) {
                return true;
            }
        }
        return false;
    }

    /** Hooks that threw or whose stage failed: each is a bug, logged at error. */
    public long hookFailures() {
        return hookFailures.get();
    }

    /** Teardowns started (by {@link #start} or {@link #tearDown}). */
    public long started() {
        return started.get();
    }

    /** Teardowns completed. */
    public long tornDown() {
        return tornDown.get();
    }
}

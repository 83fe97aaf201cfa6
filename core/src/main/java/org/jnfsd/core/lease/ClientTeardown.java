package org.jnfsd.core.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * <p>Callers: the laundromat (lease and courtesy expiry), a conflicting request expiring a courtesy
 * client ({@link CourtesyResolver}), the last compound of an expiring client, DESTROY_CLIENTID and
 * the replacement of a client record (EXCHANGE_ID, CREATE_SESSION).
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
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.SERVING);
    private final AtomicLong hookFailures = new AtomicLong();
    private final AtomicLong tornDown = new AtomicLong();

    public ClientTeardown(SessionManager sessions, List<? extends ClientStateHook> hooks) {
        this.sessions = sessions;
        List<ClientStateHook> sorted = new ArrayList<>(hooks);
        sorted.sort(Comparator.comparing(ClientStateHook::step));
        this.hooks = List.copyOf(sorted);
    }

    /** Releases every kind of state of {@code client}, step by step, and marks it DESTROYED. */
    public void tearDown(ClientRecord client) {
        long id = client.id().value();
        for (ClientStateHook h : hooks) {
            if (h.step() == TeardownStep.FORGET_RECOVERY_RECORD && mode.get() == Mode.SHUTTING_DOWN) {
                continue;
            }
            try {
                h.releaseClient(id);
            } catch (RuntimeException e) {
                hookFailures.incrementAndGet();
                log.error("teardown of {}: step {} ({}) failed", client, h.step(), h.getClass().getSimpleName(), e);
            }
        }
        sessions.finishExpiry(client);
        tornDown.incrementAndGet();
        log.debug("{} torn down", client);
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

    /** Hooks that threw: each is a bug, logged at error. */
    public long hookFailures() {
        return hookFailures.get();
    }

    /** Teardowns completed. */
    public long tornDown() {
        return tornDown.get();
    }
}

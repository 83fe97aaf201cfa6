package org.jnfsd.core.callback;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback channel's part in a client's teardown, as two steps ({@link #hooks}):
 * <ol>
 *   <li>KILL_CALLBACK_CHANNEL: kills the channel (no requeue after kill), closes its transport
 *       (cancels its calls) and finishes every queued, slot-waiting and sent callback, so its
 *       release runs ({@link CallbackChannel#shutdownAsync}). Returns at once.
 *   <li>WAIT_CALLBACKS_IN_FLIGHT: the stage of that kill, done when the client's callbacks in
 *       flight reach zero, or at the bound, timed on the callback scheduler (not real time): past
 *       it the channel force-releases what is stuck and names it, so teardown always ends
 *       (callback-races.md rules 1-3, row 19). No thread waits for it.
 * </ol>
 */
public final class CallbackTeardownHook {
    private static final Logger log = LoggerFactory.getLogger(CallbackTeardownHook.class);
    /** How long teardown waits for a client's callbacks in flight by default ({@code ServerConfig.teardownBound}). */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);

    private final CallbackService callbacks;
    private final Duration bound;
    /** Kills started by the kill step whose wait step has not run yet. */
    private final Map<Long, CompletionStage<TeardownReport>> killing = new ConcurrentHashMap<>();

    public CallbackTeardownHook(CallbackService callbacks, Duration bound) {
        this.callbacks = callbacks;
        this.bound = bound;
    }

    /** The bound this hook waits for callbacks in flight. */
    public Duration bound() {
        return bound;
    }

    /** The two steps, kill then wait, to register with the client teardown. */
    public List<ClientStateHook> hooks() {
        return List.of(new Kill(), new Wait());
    }

    private final class Kill implements ClientStateHook {
        @Override
        public TeardownStep step() {
            return TeardownStep.KILL_CALLBACK_CHANNEL;
        }

        @Override
        public void releaseClient(long clientId) {
            killing.put(clientId, callbacks.killAsync(new ClientId(clientId), bound));
        }

        /** Callbacks never keep a client busy (callback-races.md row 13). */
        @Override
        public boolean hasState(long clientId) {
            return false;
        }
    }

    private final class Wait implements ClientStateHook {
        @Override
        public TeardownStep step() {
            return TeardownStep.WAIT_CALLBACKS_IN_FLIGHT;
        }

        @Override
        public void releaseClient(long clientId) {
            release(clientId);
        }

        @Override
        public CompletionStage<Void> release(long clientId) {
            CompletionStage<TeardownReport> kill = killing.remove(clientId);
            if (kill == null) {
                // the kill step failed or never ran: kill now (idempotent), so the wait still ends
                kill = callbacks.killAsync(new ClientId(clientId), bound);
            }
            return kill.thenAccept(report -> {
                if (!report.forceReleased().isEmpty()) {
                    log.warn("client {}: callbacks force-released at teardown after {}: {}",
                            Long.toHexString(clientId), bound, report.forceReleased());
                }
            });
        }

        /** Callbacks never keep a client busy: a pending recall counting as busy would let a client never expire (row 13). */
        @Override
        public boolean hasState(long clientId) {
            return false;
        }
    }
}

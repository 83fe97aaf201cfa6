package org.jnfsd.core.callback;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback channel's part in a client's teardown (KILL_CALLBACK_CHANNEL, which also covers
 * DRAIN_CALLBACK_QUEUE and WAIT_CALLBACKS_IN_FLIGHT): kills the channel (no requeue after kill),
 * cancels its transport calls, drains its queue and waits for its callbacks in flight, bounded.
 * Past the bound the channel force-releases what is stuck and logs it, so teardown always ends
 * (callback-races.md rules 1-3, row 19).
 */
public final class CallbackTeardownHook implements ClientStateHook {
    private static final Logger log = LoggerFactory.getLogger(CallbackTeardownHook.class);
    /** How long teardown waits for a client's callbacks in flight before force-releasing them. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);

    private final CallbackService callbacks;
    private final Duration bound;

    public CallbackTeardownHook(CallbackService callbacks, Duration bound) {
        this.callbacks = callbacks;
        this.bound = bound;
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.KILL_CALLBACK_CHANNEL;
    }

    @Override
    public void releaseClient(long clientId) {
        try {
            // the channel's own bound force-releases; the extra second only covers scheduling
            TeardownReport report = callbacks.killAsync(new ClientId(clientId), bound)
                    .toCompletableFuture().get(bound.toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (!report.forceReleased().isEmpty()) {
                log.warn("client {}: callbacks force-released at teardown: {}", Long.toHexString(clientId),
                        report.forceReleased());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the callback channel of "
                    + Long.toHexString(clientId), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("killing the callback channel of " + Long.toHexString(clientId)
                    + " failed", e);
        }
    }

    /**
     * Callbacks never keep a client busy: a CB_RECALL_ANY or a pending recall counting as "busy"
     * would let a client never expire (callback-races.md row 13).
     */
    @Override
    public boolean hasState(long clientId) {
        return false;
    }
}

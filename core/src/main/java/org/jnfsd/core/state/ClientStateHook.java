package org.jnfsd.core.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One kind of per-client state (opens, locks, delegations, copies, callbacks) taking part in a
 * client's teardown. Implementations are registered with {@link org.jnfsd.core.lease.ClientTeardown}
 * and called once per destroyed client, at their {@link #step()}, never concurrently for one client.
 */
public interface ClientStateHook {
    /** When, in the declared teardown order, this hook runs. */
    TeardownStep step();

    /**
     * Releases everything {@code clientId} holds of this kind. Must be idempotent and must not
     * block on the network; it runs on the teardown executor or a request's thread.
     */
    void releaseClient(long clientId);

    /**
     * The step as the teardown runs it: {@link #releaseClient} by default, done when it returns. A
     * step that waits (for callbacks in flight) returns a stage instead of blocking a thread; the
     * teardown's next step runs when the stage completes. Must not throw past the stage.
     */
    default CompletionStage<Void> release(long clientId) {
        releaseClient(clientId);
        return CompletableFuture.completedStage(null);
    }

    /** Whether {@code clientId} still holds state of this kind (DESTROY_CLIENTID's busy check). */
    boolean hasState(long clientId);

    /** A hook running {@code release} at {@code step}, holding no state DESTROY_CLIENTID counts. */
    static ClientStateHook of(TeardownStep step, java.util.function.LongConsumer release) {
        return new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return step;
            }

            @Override
            public void releaseClient(long clientId) {
                release.accept(clientId);
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }

            @Override
            public String toString() {
                return step.toString();
            }
        };
    }
}

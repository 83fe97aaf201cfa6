package org.jnfsd.core.state;

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
     * block on the network; it runs on the laundromat's or a request's thread.
     */
    void releaseClient(long clientId);

    /** Whether {@code clientId} still holds state of this kind (DESTROY_CLIENTID's busy check). */
    boolean hasState(long clientId);
}

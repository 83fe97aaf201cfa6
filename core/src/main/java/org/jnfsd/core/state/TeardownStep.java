package org.jnfsd.core.state;

/**
 * The one declared order in which a client's state is torn down (architecture.md, "State and
 * lifecycles"; callback-races.md rule 3). {@link org.jnfsd.core.lease.ClientTeardown} runs the
 * hooks of each step in the order of this enum, each step after the previous one is done; refusing new work happens before the first step (the record is unhashed and
 * its sessions drained by the session manager), and the record becomes DESTROYED after the last.
 */
public enum TeardownStep {
    /** Unhash and revoke its delegations (hook: the delegation work). */
    REVOKE_DELEGATIONS,
    /** Release its byte-range locks (hook: the lock table) before the opens they hang on. */
    RELEASE_LOCKS,
    /** Release its opens and share reservations ({@link OpenStates}). */
    RELEASE_OPENS,
    /** Stop and join its async copies (hook: the copy work). */
    STOP_COPIES,
    /**
     * Kill its callback channel (no requeue after kill), close its transport (cancels its calls) and
     * drain its callback queue, all in one call: every queued or sent callback is finished, so its
     * release runs ({@code CallbackTeardownHook}).
     */
    KILL_CALLBACK_CHANNEL,
    /**
     * Wait, bounded on the callback scheduler, for its callbacks in flight to reach zero; past the
     * bound what is stuck is named and force-released. The only step that waits, and it holds no
     * thread ({@code CallbackTeardownHook}).
     */
    WAIT_CALLBACKS_IN_FLIGHT,
    /** Drop its open table; later access to it is refused loudly ({@link OpenStates#dropTable}). */
    DROP_TABLES,
    /** Forget its record in the recovery store: it may no longer reclaim after a restart. */
    FORGET_RECOVERY_RECORD
}

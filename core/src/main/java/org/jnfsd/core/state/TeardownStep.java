package org.jnfsd.core.state;

/**
 * The one declared order in which a client's state is torn down (architecture.md, "State and
 * lifecycles"). {@link org.jnfsd.core.lease.ClientTeardown} runs the hooks of each step in the
 * order of this enum; refusing new work happens before the first step (the record is unhashed and
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
    /** Kill its callback channel, no requeue after kill (hook: the callback work). */
    KILL_CALLBACK_CHANNEL,
    /** Drain its callback queue (hook: the callback work). */
    DRAIN_CALLBACK_QUEUE,
    /** Wait, bounded, for its callbacks in flight to reach zero (hook: the callback work). */
    WAIT_CALLBACKS_IN_FLIGHT,
    /** Drop its remaining tables; later access to them is refused loudly. */
    DROP_TABLES,
    /** Forget its record in the recovery store: it may no longer reclaim after a restart. */
    FORGET_RECOVERY_RECORD
}

package org.jnfsd.core.state;

import org.jnfsd.protocol.nfs4.StateId;

/**
 * What {@link OpenStates} asks the byte-range lock table: CLOSE of an open whose lock owners still
 * hold locks is NFS4ERR_LOCKS_HELD (RFC 8881 §18.2.3). The lock table implements it; until it
 * exists, {@link #NONE}.
 */
@FunctionalInterface
public interface LockQuery {
    LockQuery NONE = (clientId, openStateId) -> false;

    /** Whether locks acquired through the open {@code openStateId} of {@code clientId} are held. */
    boolean hasLocks(long clientId, StateId openStateId);
}

package org.jnfsd.core.state.lock;

import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;

/** The answer to a LOCK: granted with the lock stateid, or denied by one conflicting lock. */
public sealed interface LockOutcome {
    record Granted(StateId stateId) implements LockOutcome {}

    /**
     * The lock (or the queued waiter's reservation) in the way.
     *
     * @param write whether that lock is a write lock
     */
    record Denied(OpenOwner owner, LockRange range, boolean write) implements LockOutcome {}
}

package org.jnfsd.core.state;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * The per-stateid side of one kind's table, for TEST_STATEID and FREE_STATEID ({@link
 * StateIdRegistry} dispatches by the kind written in the stateid). {@link OpenStates} implements it
 * for OPEN; the lock, delegation and copy tables implement it for theirs.
 */
public interface StateIdKindTable {
    StateKind kind();

    /** TEST_STATEID of a stateid of this kind issued here: OK, BAD_, OLD_ or ADMIN_REVOKED etc. */
    NfsStatus test(long clientId, StateId stateId);

    /** FREE_STATEID of a stateid of this kind issued here (RFC 8881 §18.38). */
    NfsStatus free(long clientId, StateId stateId);
}

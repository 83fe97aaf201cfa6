package org.jnfsd.core.state;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * Routes TEST_STATEID and FREE_STATEID to the table of the stateid's kind. Special stateids,
 * stateids of another server instance (RFC 8881 §18.48.3 lists no STALE_STATEID for TEST_STATEID)
 * and kinds without a table are NFS4ERR_BAD_STATEID. Immutable after construction; thread-safe.
 */
public final class StateIdRegistry {
    private final StateIdAllocator ids;
    private final Map<StateKind, StateIdKindTable> tables = new EnumMap<>(StateKind.class);

    public StateIdRegistry(StateIdAllocator ids, List<? extends StateIdKindTable> tables) {
        this.ids = ids;
        for (StateIdKindTable t : tables) {
            if (this.tables.put(t.kind(), t) != null) {
                throw new IllegalArgumentException("two tables of kind " + t.kind());
            }
        }
    }

    public NfsStatus test(long clientId, StateId stateId) {
        StateIdKindTable t = tableOf(stateId);
        return t == null ? NfsStatus.NFS4ERR_BAD_STATEID : t.test(clientId, stateId);
    }

    public NfsStatus free(long clientId, StateId stateId) {
        StateIdKindTable t = tableOf(stateId);
        return t == null ? NfsStatus.NFS4ERR_BAD_STATEID : t.free(clientId, stateId);
    }

    private StateIdKindTable tableOf(StateId stateId) {
        if (!ids.issuedHere(stateId)) {
            return null;
        }
        StateKind k = ids.kindOf(stateId);
        return k == null ? null : tables.get(k);
    }
}

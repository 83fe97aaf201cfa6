package org.jnfsd.core.copy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * The server's asynchronous copies by stateid, for OFFLOAD_STATUS and OFFLOAD_CANCEL. Thread-safe:
 * a concurrent map, and each {@link AsyncCopy} guards its own state. Empty until async COPY
 * registers copies here; every lookup then answers NFS4ERR_BAD_STATEID, as RFC 7862 §15.8/§15.9
 * want for a stateid that names no copy.
 */
public final class Copies {
    private final Map<StateId.Key, AsyncCopy> byStateId = new ConcurrentHashMap<>();

    /** Registers a started copy (the async path, not built yet). */
    public void add(AsyncCopy copy) {
        if (byStateId.putIfAbsent(copy.stateId().key(), copy) != null) {
            throw new IllegalStateException("two copies with stateid " + copy.stateId());
        }
    }

    /** The copy {@code stateId} names for {@code clientId}; NFS4ERR_BAD_STATEID when none. */
    public AsyncCopy find(long clientId, StateId stateId) throws NfsException {
        AsyncCopy c = byStateId.get(stateId.key());
        if (c == null || c.clientId() != clientId || c.state() == CopyState.REAPED) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "no copy " + stateId);
        }
        return c;
    }

    /** Unlinks a reaped copy. */
    public void remove(AsyncCopy copy) {
        byStateId.remove(copy.stateId().key(), copy);
    }

    public int size() {
        return byStateId.size();
    }
}

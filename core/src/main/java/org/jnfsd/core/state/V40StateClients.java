package org.jnfsd.core.state;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * Which NFSv4.0 client a stateid was issued to. 4.0 has no SEQUENCE to say who sends a request,
 * so an operation that only carries a stateid (CLOSE, READ, WRITE, LOCKU, DELEGRETURN, ...) is
 * bound to its client through this index; knfsd instead embeds the clientid in the stateid.
 * Filled when a 4.0 OPEN or LOCK returns a stateid, emptied entry by entry when CLOSE or
 * DELEGRETURN ends one, and per client at its teardown ({@link TeardownStep#DROP_TABLES}), so it
 * holds at most the live 4.0 stateids plus the lock stateids of opens closed since (which go at
 * the client's teardown). Holds no state of its own: never makes a client busy. Thread-safe.
 */
public final class V40StateClients implements ClientStateHook {
    private final Map<StateId.Key, Long> clientOf = new ConcurrentHashMap<>();
    private final Map<Long, Set<StateId.Key>> byClient = new ConcurrentHashMap<>();

    /** Records that {@code stateId} belongs to {@code clientId}. */
    public void issued(long clientId, StateId stateId) {
        StateId.Key k = stateId.key();
        byClient.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet()).add(k);
        clientOf.put(k, clientId);
    }

    /** The client {@code stateId} was issued to, or null when it is not a live 4.0 stateid. */
    public Long clientOf(StateId stateId) {
        return clientOf.get(stateId.key());
    }

    /** {@code stateId} ended (CLOSE, DELEGRETURN). */
    public void ended(StateId stateId) {
        Long c = clientOf.remove(stateId.key());
        if (c != null) {
            byClient.computeIfPresent(c, (id, keys) -> {
                keys.remove(stateId.key());
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    /** Entries held, for tests and memory figures. */
    public int size() {
        return clientOf.size();
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.DROP_TABLES;
    }

    @Override
    public void releaseClient(long clientId) {
        Set<StateId.Key> keys = byClient.remove(clientId);
        if (keys != null) {
            for (StateId.Key k : keys) {
                clientOf.remove(k, clientId);
            }
        }
    }

    @Override
    public boolean hasState(long clientId) {
        return false;
    }
}

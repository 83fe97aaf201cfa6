package org.jnfsd.core.state;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * Which NFSv4.0 client and owner a stateid was issued to. 4.0 has no SEQUENCE to say who sends a
 * request, so an operation that only carries a stateid (CLOSE, READ, WRITE, LOCKU, DELEGRETURN,
 * ...) is bound to its client through this index, and a seqid-bearing one (CLOSE, LOCKU, ...) to
 * its owner's sequence; knfsd instead embeds the clientid in the stateid.
 *
 * <p>Filled when a 4.0 OPEN or LOCK returns a stateid; DELEGRETURN removes a delegation's entry.
 * A closed open stateid stays until its owner closes another one (one per open-owner), so that a
 * retransmitted CLOSE still finds its owner's replay, as knfsd keeps oo_last_closed_stid. A
 * client's entries go at its teardown ({@link TeardownStep#DROP_TABLES}) and an owner's when it
 * expires ({@link #forgetOwner}). Holds no state of its own: never makes a client busy.
 * Thread-safe.
 */
public final class V40StateClients implements ClientStateHook {
    /** The client and (for open and lock stateids) the owner of a stateid. */
    public record Entry(long clientId, V40Owners.Key owner) {}

    private final Map<StateId.Key, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Long, Set<StateId.Key>> byClient = new ConcurrentHashMap<>();
    private final Map<V40Owners.Key, StateId.Key> lastClosed = new ConcurrentHashMap<>();

    /** Records that {@code stateId} belongs to {@code clientId} and {@code owner} (null for a delegation). */
    public void issued(long clientId, StateId stateId, V40Owners.Key owner) {
        StateId.Key k = stateId.key();
        byClient.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet()).add(k);
        entries.put(k, new Entry(clientId, owner));
    }

    /** The client {@code stateId} was issued to, or null when it is not a known 4.0 stateid. */
    public Long clientOf(StateId stateId) {
        Entry e = entries.get(stateId.key());
        return e == null ? null : e.clientId();
    }

    /** The owner of {@code stateId}, or null. */
    public V40Owners.Key ownerOf(StateId stateId) {
        Entry e = entries.get(stateId.key());
        return e == null ? null : e.owner();
    }

    /** A CLOSE ended {@code stateId} of {@code owner}: kept as the owner's last closed one. */
    public void closed(StateId stateId, V40Owners.Key owner) {
        StateId.Key previous = lastClosed.put(owner, stateId.key());
        if (previous != null && !previous.equals(stateId.key())) {
            remove(previous);
        }
    }

    /** {@code stateId} ended for good (DELEGRETURN). */
    public void ended(StateId stateId) {
        remove(stateId.key());
    }

    /** An owner expired or was released: its last closed stateid goes too. */
    public void forgetOwner(V40Owners.Key owner) {
        StateId.Key k = lastClosed.remove(owner);
        if (k != null) {
            remove(k);
        }
    }

    private void remove(StateId.Key k) {
        Entry e = entries.remove(k);
        if (e != null) {
            byClient.computeIfPresent(e.clientId(), (id, keys) -> {
                keys.remove(k);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    /** Entries held, for tests and memory figures. */
    public int size() {
        return entries.size();
    }

    /** Clients with an index entry (tests: an emptied client's index goes too). */
    int clientsIndexed() {
        return byClient.size();
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
                entries.remove(k);
            }
        }
        lastClosed.keySet().removeIf(o -> o.clientId() == clientId);
    }

    @Override
    public boolean hasState(long clientId) {
        return false;
    }
}

package org.jnfsd.core.recovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RecoveryStore} in memory: it survives a restart only when the same instance is handed
 * to the next server (tests do that); the memory backend uses a fresh one, so it never has a grace
 * period (its files do not survive a restart either). Epochs behave as in the SQLite store.
 *
 * <p>Concurrency: every field is guarded by {@code this}.
 */
public final class InMemoryRecoveryStore implements RecoveryStore {
    private record Entry(ReclaimableClient client, long epoch) {}

    @GuardedBy("this")
    private long epoch;
    /** By owner key. */
    @GuardedBy("this")
    private final Map<String, Entry> records = new HashMap<>();

    @Override
    public synchronized List<ReclaimableClient> beginEpoch() {
        epoch++;
        List<ReclaimableClient> out = new ArrayList<>();
        for (Entry e : records.values()) {
            out.add(e.client());
        }
        return out;
    }

    @Override
    public synchronized void record(ReclaimableClient client) {
        records.put(client.ownerKey(), new Entry(client, epoch));
    }

    @Override
    public synchronized void remove(byte[] ownerId) {
        records.remove(new ReclaimableClient(ownerId, "").ownerKey());
    }

    @Override
    public synchronized void endGrace() {
        long current = epoch; // read here, under this; the lambda runs within removeIf
        records.values().removeIf(e -> e.epoch() < current);
    }

    /** Every record, whatever its epoch; for tests. */
    public synchronized List<ReclaimableClient> all() {
        return records.values().stream().map(Entry::client).toList();
    }

    @Override
    public void close() {
        // nothing held
    }
}

package org.jnfsd.rpc;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connections of one server share to protect it from its peers: the memory budget, the
 * decoders holding unfinished records (so the largest can be cut off when the budget is
 * exceeded), the idle timeout, and where refusals are reported (metrics) and logged (rate-limited,
 * {@link PeerLog}). Thread-safe.
 */
final class PeerGuards {
    private static final Logger LOG = LoggerFactory.getLogger(PeerGuards.class);

    private final MemoryBudget budget;
    private final Consumer<Refusal> onRefusal;
    /** Null: connections are never closed for idling. */
    private final Duration idleTimeout;
    private final Set<RecordMarkingDecoder> decoders = ConcurrentHashMap.newKeySet();

    PeerGuards(MemoryBudget budget, Consumer<Refusal> onRefusal, Duration idleTimeout) {
        this.budget = budget;
        this.onRefusal = onRefusal;
        this.idleTimeout = idleTimeout;
    }

    /** Guards of a client's connections: an unlimited budget, nothing reported, no idle timeout. */
    static PeerGuards unlimited() {
        return new PeerGuards(new MemoryBudget(Long.MAX_VALUE), r -> { }, null);
    }

    MemoryBudget budget() {
        return budget;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    /** Counts a refusal and logs it at most once per interval per kind. */
    void refused(Refusal refusal, String format, Object... args) {
        try {
            onRefusal.accept(refusal);
        } catch (RuntimeException e) {
            LOG.error("Refusal listener failed for {}", refusal, e);
        }
        PeerLog.warn(LOG, refusal.name(), format, args);
    }

    void register(RecordMarkingDecoder d) {
        decoders.add(d);
    }

    void unregister(RecordMarkingDecoder d) {
        decoders.remove(d);
    }

    /**
     * Called after a decoder's unfinished bytes grew: while the budget is exceeded, the connection
     * holding the most unfinished-record bytes is closed (the one that costs most to keep, not the
     * one that happened to read last). Bounded: one eviction per call.
     */
    void inboundGrew() {
        if (budget.used() <= budget.limit()) {
            return;
        }
        RecordMarkingDecoder largest = null;
        long most = 0;
        for (RecordMarkingDecoder d : decoders) {
            long h = d.unfinishedBytes();
            if (h > most) {
                most = h;
                largest = d;
            }
        }
        if (largest != null && largest.evict()) {
            refused(Refusal.RECORD_BUDGET, "Closing RPC connection from {}: its unfinished record holds {} bytes and the "
                    + "server's memory budget of {} bytes is exceeded", largest.remote(), most, budget.limit());
        }
    }
}

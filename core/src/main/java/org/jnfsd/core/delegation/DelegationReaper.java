package org.jnfsd.core.delegation;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks clients to give delegations back before the server-wide limit is reached (RFC 8881 §20.6,
 * knfsd's {@code deleg_reaper}): run by the laundromat after each sweep, {@link #runOnce} does
 * nothing while live delegations are below the high-water mark ({@link #HIGH_WATER_PERCENT} of the
 * limit); above it, it queues a {@link RecallAnyCallback} (CB_RECALL_ANY, RCA4_TYPE_MASK_RDATA_DLG,
 * keep half of what the client holds) to every client holding delegations whose callback channel is
 * UP, at most one in flight per client and at most one per client per {@code interval}.
 *
 * <p>It never sends once the server is stopping ({@code serverRunning} false: row 12 of
 * callback-races.md), and a CB_RECALL_ANY never counts as client state (it holds the client's id,
 * not its record), so it neither makes DESTROY_CLIENTID busy nor keeps a client from expiring (row
 * 13); client teardown kills the channel, which releases it.
 *
 * <p>Concurrency: {@link #inFlight} and {@link #lastSent} are guarded by {@link #lock}; runs come
 * from the laundromat's thread, releases from the client's callback queue or a teardown thread.
 * Queueing happens outside the lock. Nothing blocks.
 */
public final class DelegationReaper {
    private static final Logger log = LoggerFactory.getLogger(DelegationReaper.class);
    /** Above this share of the limit (percent), holders are asked to return delegations. */
    public static final int HIGH_WATER_PERCENT = 90;
    /** At most one CB_RECALL_ANY per client this often (knfsd: 5 s). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final DelegationTable table;
    private final CallbackService callbacks;
    private final Clock clock;
    private final Duration interval;
    private final ServerCounters counters;
    private final BooleanSupplier serverRunning;
    private final Object lock = new Object();
    /** Clients with a CB_RECALL_ANY submitted and not yet released. */
    @GuardedBy("lock")
    private final Set<Long> inFlight = new HashSet<>();
    /** When each client was last sent one (pruned once older than interval). */
    @GuardedBy("lock")
    private final Map<Long, Instant> lastSent = new HashMap<>();

    /**
     * @param serverRunning false once the server is shutting down: no more CB_RECALL_ANY
     */
    public DelegationReaper(DelegationTable table, CallbackService callbacks, Clock clock, Duration interval,
            ServerCounters counters, BooleanSupplier serverRunning) {
        this.table = table;
        this.callbacks = callbacks;
        this.clock = clock;
        this.interval = interval;
        this.counters = counters;
        this.serverRunning = serverRunning;
    }

    /** Live delegations at or above which CB_RECALL_ANY is sent: 90 % of the limit, at least 1. */
    int highWater() {
        return Math.max(1, (int) ((long) table.limit() * HIGH_WATER_PERCENT / 100));
    }

    /** One pass; returns how many CB_RECALL_ANY were queued. */
    public int runOnce() {
        if (!serverRunning.getAsBoolean() || table.limit() == 0 || table.liveCount() < highWater()) {
            return 0;
        }
        Instant now = clock.instant();
        Map<Long, Integer> holders = table.liveByClient();
        Map<Long, RecallAnyCallback> toSend = new HashMap<>();
        synchronized (lock) {
            lastSent.values().removeIf(t -> !now.isBefore(t.plus(interval)));
            holders.forEach((client, n) -> {
                if (!inFlight.contains(client) && !lastSent.containsKey(client)) {
                    toSend.put(client, new RecallAnyCallback(client, n / 2, this));
                }
            });
            for (Long client : toSend.keySet()) {
                inFlight.add(client);
                lastSent.put(client, now);
            }
        }
        int queued = 0;
        for (Map.Entry<Long, RecallAnyCallback> e : toSend.entrySet()) {
            CallbackChannel ch = callbacks.channel(new ClientId(e.getKey()));
            if (ch == null || ch.state() != CallbackChannel.State.UP) {
                released(e.getKey()); // never submitted: nothing else will release it
                continue;
            }
            if (ch.submit(e.getValue()) == CallbackChannel.Submitted.QUEUED) {
                queued++;
            }
        }
        if (queued > 0) {
            log.info("{} live delegations of {} allowed: CB_RECALL_ANY queued to {} client(s)", table.liveCount(),
                    table.limit(), queued);
        }
        return queued;
    }

    /** Whether {@code clientId} still holds live delegations (RecallAnyCallback's prepare). */
    boolean holds(long clientId) {
        return table.liveByClient().containsKey(clientId);
    }

    /** A CB_RECALL_ANY went out. */
    void sent() {
        counters.increment(ServerEvent.CB_RECALL_ANY_SENT);
    }

    /** The CB_RECALL_ANY of {@code clientId} was released (or never submitted): another may follow. */
    void released(long clientId) {
        synchronized (lock) {
            inFlight.remove(clientId);
        }
    }

    /** Clients with a CB_RECALL_ANY submitted and not yet released. */
    public int inFlight() {
        synchronized (lock) {
            return inFlight.size();
        }
    }
}

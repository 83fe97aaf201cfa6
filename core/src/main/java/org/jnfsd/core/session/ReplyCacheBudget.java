package org.jnfsd.core.session;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;

/**
 * The server-wide memory budget of the session reply caches (issue 16: 100 clients caching 64
 * slots of ~60 KiB replies added ~400 MB). Each session reserves, at CREATE_SESSION, room for
 * every fore-channel slot's cached reply: {@code ca_maxrequests × ca_maxresponsesize_cached}
 * bytes, returned when the session is destroyed. When the budget cannot hold what a client asks,
 * CREATE_SESSION negotiates down, as knfsd's {@code nfsd4_get_drc_mem} does: first fewer slots
 * (as many as the room left holds), and when not even one slot of the asked size fits, one slot
 * whose cached size is what is left, but at least {@link #MIN_CACHED} bytes. A session therefore
 * always gets a slot, and the budget is exceeded by at most {@link #MIN_CACHED} per session
 * created while it is full.
 *
 * <p>Default size ({@link #defaultLimit}): 1/16 of the maximum heap (knfsd: 1/128 of low memory,
 * {@code nfsd_drc_max_mem}; a JVM heap is the server's own memory, not the machine's).
 *
 * <p>Thread-safe (synchronized; one reservation per CREATE_SESSION and per session destroyed).
 */
public final class ReplyCacheBudget {
    /** Smallest cached reply size handed out: room for SEQUENCE and a small non-idempotent operation. */
    public static final int MIN_CACHED = 4096;
    /** Below this much free, SEQUENCE asks clients to shrink (sr_target_highest_slotid). */
    static final double SHORT_FRACTION = 0.10;

    private final long limit;
    @GuardedBy("this")
    private long reserved;

    public ReplyCacheBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("reply cache budget " + limit);
        }
        this.limit = limit;
    }

    /** 1/16 of {@code maxHeap} (the heap's {@link Runtime#maxMemory()}). */
    public static long defaultLimit(long maxHeap) {
        return maxHeap / 16;
    }

    /**
     * Reserves room for the slots of {@code fore}, negotiated down to what the budget holds.
     *
     * @return the fore channel as granted (fewer slots, or one slot with a smaller cached size)
     */
    public synchronized ChannelAttrs reserve(ChannelAttrs fore) {
        long perSlot = Math.max(1, fore.maxResponseSizeCached());
        long left = Math.max(0, limit - reserved);
        int slots = (int) Math.min(fore.maxRequests(), left / perSlot);
        ChannelAttrs granted;
        if (slots >= 1) {
            granted = slots == fore.maxRequests() ? fore : withSlots(fore, slots, fore.maxResponseSizeCached());
        } else {
            int cached = (int) Math.min(fore.maxResponseSizeCached(), Math.max(MIN_CACHED, left));
            granted = withSlots(fore, 1, cached);
        }
        reserved += cost(granted);
        return granted;
    }

    /** Returns the room {@link #reserve} took for {@code granted}. */
    public synchronized void release(ChannelAttrs granted) {
        reserved = Math.max(0, reserved - cost(granted));
    }

    /** Whether less than 10 % of the budget is free: clients are asked to use fewer slots. */
    public synchronized boolean isShort() {
        return limit - reserved < limit * SHORT_FRACTION;
    }

    public long limit() {
        return limit;
    }

    public synchronized long reserved() {
        return reserved;
    }

    static long cost(ChannelAttrs fore) {
        return (long) fore.maxRequests() * Math.max(1, fore.maxResponseSizeCached());
    }

    private static ChannelAttrs withSlots(ChannelAttrs a, int slots, int cached) {
        return new ChannelAttrs(a.headerPadSize(), a.maxRequestSize(), a.maxResponseSize(), cached, a.maxOperations(),
                slots, a.rdmaIrd());
    }
}

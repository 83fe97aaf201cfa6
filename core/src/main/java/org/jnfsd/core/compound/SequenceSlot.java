package org.jnfsd.core.compound;

import io.netty.buffer.ByteBuf;

/**
 * The session slot a COMPOUND holds after its SEQUENCE succeeded: the limits the reply must meet
 * and the reply cache that keeps it. The engine calls {@link #complete} exactly once per COMPOUND
 * that acquired the slot, on every path, which releases the slot.
 */
public interface SequenceSlot {
    int maxResponseSize();

    int maxResponseSizeCached();

    int maxOperations();

    /** Whether the client asked (sa_cachethis) for the whole reply to be cached. */
    boolean cacheThis();

    /**
     * Stores the reply for replays and releases the slot.
     *
     * @param reply the complete COMPOUND4res bytes (not retained: copy what must be kept)
     */
    void complete(ByteBuf reply);
}

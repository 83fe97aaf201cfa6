package org.jnfsd.core.callback;

/**
 * The server's view of one session's backchannel slots (RFC 8881 §2.10.6, §20.9): which are in use,
 * the last sequence id the client confirmed on each, and which were retired.
 *
 * <p>Sequence ids advance only when a CB_SEQUENCE reply says the client processed the call
 * ({@link Fate#ADVANCED}). A call whose reply was lost leaves the slot <em>uncertain</em>: the
 * client may or may not have processed it, so the next call on that slot uses confirmed + 2 (never
 * confirmed + 1, which the client would take for a replay and answer from its cache); if the client
 * says SEQ_MISORDERED it had not processed the lost call, and the retry uses confirmed + 1. A slot
 * the client calls bad (BADSLOT), or that is misordered while certain, or that loses a second reply
 * while uncertain, is retired: never used again on this session, and never reset to 1. knfsd instead
 * retries once with sequence id 1 before giving the slot up; we know the two candidates exactly, so we
 * never guess.
 *
 * <p>Not thread-safe: guarded by the owning {@link CallbackChannel}'s lock. A table belongs to one
 * session; a slot acquired from it is released to it even after the channel moved to another session.
 */
final class BackchannelSlotTable {
    /** What a reply (or its absence) says about a slot, given when the slot is released. */
    enum Fate {
        /** CB_SEQUENCE succeeded: the client processed the sequence id sent. */
        ADVANCED,
        /** The client did not process the call (CB_SEQUENCE error other than those below, DELAY, never sent). */
        UNCHANGED,
        /** Sent, but no reply: the client may have processed it. */
        LOST,
        /** SEQ_MISORDERED. */
        MISORDERED,
        /** BADSLOT. */
        BAD
    }

    /** One slot; fields guarded by the channel's lock. */
    static final class Slot {
        final int id;
        final BackchannelSlotTable table;
        int confirmed;
        boolean uncertain;
        boolean inUse;
        boolean retired;
        /** The sequence id of the call now on the slot (valid while in use). */
        int sent;

        Slot(BackchannelSlotTable table, int id) {
            this.table = table;
            this.id = id;
        }

        int nextSequenceId() {
            return uncertain ? confirmed + 2 : confirmed + 1;
        }
    }

    private final Slot[] slots;
    /** Highest slot the client wants used (csr_target_highestslotid), never above the table. */
    private int target;

    BackchannelSlotTable(int size) {
        slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot(this, i);
        }
        target = size - 1;
    }

    /** The lowest free usable slot, now in use with its next sequence id, or null if none is free. */
    Slot acquire() {
        for (int i = 0; i <= target; i++) {
            Slot s = slots[i];
            if (!s.inUse && !s.retired) {
                s.inUse = true;
                s.sent = s.nextSequenceId();
                return s;
            }
        }
        return null;
    }

    /** The highest slot id that may be in use: CB_SEQUENCE's csa_highest_slotid. */
    int highestSlotId() {
        int h = 0;
        for (Slot s : slots) {
            if (s.inUse) {
                h = s.id;
            }
        }
        return h;
    }

    /**
     * Frees {@code slot} and records what the call taught. Returns the slot to the free set unless
     * the fate retires it.
     */
    void release(Slot slot, Fate fate) {
        if (!slot.inUse) {
            throw new IllegalStateException("backchannel slot " + slot.id + " released twice");
        }
        slot.inUse = false;
        switch (fate) {
            case ADVANCED -> {
                slot.confirmed = slot.sent;
                slot.uncertain = false;
            }
            case UNCHANGED -> { }
            case LOST -> {
                if (slot.uncertain) {
                    retire(slot);
                } else {
                    slot.uncertain = true;
                }
            }
            case MISORDERED -> {
                if (slot.uncertain && slot.sent == slot.confirmed + 2) {
                    slot.uncertain = false;
                } else {
                    retire(slot);
                }
            }
            case BAD -> retire(slot);
        }
    }

    /** Follows csr_target_highestslotid: slots above it are not used until it rises. */
    void setTarget(int targetHighestSlotId) {
        target = Math.max(0, Math.min(targetHighestSlotId, slots.length - 1));
    }

    private static void retire(Slot slot) {
        slot.retired = true;
    }

    /** Slots neither retired nor above the target. */
    int usableSlots() {
        int n = 0;
        for (int i = 0; i <= target; i++) {
            if (!slots[i].retired) {
                n++;
            }
        }
        return n;
    }

    /** Slots in use now. */
    int inUse() {
        int n = 0;
        for (Slot s : slots) {
            if (s.inUse) {
                n++;
            }
        }
        return n;
    }
}

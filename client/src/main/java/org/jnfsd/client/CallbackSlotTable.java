package org.jnfsd.client;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;

/**
 * The client's side of the backchannel slot table (RFC 8881 §2.10.6.1, §20.9.3): per slot the
 * sequence id of the last request, whether it is still executing, and the reply to replay.
 *
 * <p>For a CB_SEQUENCE on slot {@code s} with sequence id {@code q}, and {@code last} the slot's
 * last sequence id (0 before the first request, so the first is 1):
 * <ul>
 *   <li>{@code s} beyond the table: NFS4ERR_BADSLOT;
 *   <li>{@code q == last + 1}, slot idle: a new request ({@link Outcome.Execute}), the slot is
 *       busy until {@link #finish};
 *   <li>{@code q == last}: a retry: NFS4ERR_DELAY while the original still executes, else the
 *       cached reply ({@link Outcome.Replay}), or {@link Outcome.Uncached} if it was not cached;
 *   <li>anything else (including {@code last + 1} while the slot is busy):
 *       NFS4ERR_SEQ_MISORDERED, and the slot is left unchanged.
 * </ul>
 * Sequence ids wrap around as unsigned 32-bit numbers. A failed CB_SEQUENCE never changes a slot.
 *
 * <p>Slot diagram (per slot), transitions made only under {@code this}'s monitor:
 * <pre>
 *   IDLE ──begin(last+1)──► BUSY ──finish()──► IDLE
 * </pre>
 * Thread-safe: every field is guarded by {@code this}.
 */
final class CallbackSlotTable {
    /** The outcome of {@link #begin}. */
    sealed interface Outcome {
        /** A new request: execute it, then call {@link #finish}. */
        record Execute() implements Outcome {}

        /** A retry of a completed request whose reply was cached: send it again. */
        record Replay(CbCompoundResult reply) implements Outcome {}

        /** A retry of a completed request whose reply was not cached (sa_cachethis false). */
        record Uncached() implements Outcome {}

        /** CB_SEQUENCE fails with this status. */
        record Refused(NfsStatus status) implements Outcome {}
    }

    private final int[] last; // guarded by this
    private final boolean[] busy; // guarded by this
    private final CbCompoundResult[] cached; // guarded by this
    /** Whether the slot has had a request: before that, sequence id 0 is misordered, not a retry. */
    private final boolean[] used; // guarded by this

    CallbackSlotTable(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots " + slots);
        }
        last = new int[slots];
        busy = new boolean[slots];
        cached = new CbCompoundResult[slots];
        used = new boolean[slots];
    }

    int size() {
        return last.length;
    }

    synchronized Outcome begin(int slot, int sequenceId) {
        if (slot < 0 || slot >= last.length) {
            return new Outcome.Refused(NfsStatus.NFS4ERR_BADSLOT);
        }
        if (sequenceId == last[slot] && used[slot]) {
            if (busy[slot]) {
                return new Outcome.Refused(NfsStatus.NFS4ERR_DELAY);
            }
            CbCompoundResult c = cached[slot];
            return c != null ? new Outcome.Replay(c) : new Outcome.Uncached();
        }
        if (sequenceId != last[slot] + 1 || busy[slot]) {
            return new Outcome.Refused(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        }
        last[slot] = sequenceId;
        used[slot] = true;
        busy[slot] = true;
        cached[slot] = null;
        return new Outcome.Execute();
    }

    /** Ends the request that {@link #begin} let execute on {@code slot}; {@code reply} is null when not cached. */
    synchronized void finish(int slot, CbCompoundResult reply) {
        if (!busy[slot]) {
            throw new IllegalStateException("slot " + slot + " is not busy");
        }
        busy[slot] = false;
        cached[slot] = reply;
    }
}

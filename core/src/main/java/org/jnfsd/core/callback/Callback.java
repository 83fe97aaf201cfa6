package org.jnfsd.core.callback;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jnfsd.protocol.nfs4.callback.CbArgs;

/**
 * One callback to a client (CB_RECALL of a delegation, CB_GETATTR, CB_RECALL_ANY, CB_NOTIFY_LOCK,
 * CB_OFFLOAD, or the channel's own CB_NULL probe), with three steps run by {@link CallbackChannel}:
 *
 * <ol>
 *   <li>{@link #prepare} once, on the client's ordered queue, just before the first send: builds the
 *       operation, or returns empty when there is nothing left to do (row 06: a delegation already
 *       returned or revoked);
 *   <li>{@link #done} once with the outcome (reply, skip or failure), after retries;
 *   <li>{@link #release} exactly once on every path, after {@code done} (or instead of it when the
 *       callback never ran): it drops the reference the callback holds on what it refers to (rule 5).
 *       The channel's in-flight count drops only after it returns.
 * </ol>
 *
 * A callback object carries an atomic "running" token: {@link CallbackChannel#submit} takes it, so
 * the same object is never queued twice (row 15), and the channel clears it on every exit path
 * (row 17), after {@link #release}.
 *
 * <p>Steps never run concurrently with each other for one callback, and never under a channel lock.
 * A step that throws is logged and counted ({@link CallbackChannel#stepFailures}); the next steps
 * still run.
 */
public abstract class Callback {
    private final String kind;
    /** Only written by {@link CallbackChannel}: submit takes it, the end of the run clears it. */
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param kind what the callback is, for diagnostics ("CB_RECALL", ...) */
    protected Callback(String kind) {
        this.kind = kind;
    }

    public final String kind() {
        return kind;
    }

    /** What the callback refers to, for diagnostics (a stateid, a file): shown when teardown is stuck. */
    public abstract String subject();

    /** Builds the operation to send after CB_SEQUENCE, or empty if there is nothing to do any more. */
    protected abstract Optional<CbArgs> prepare();

    /** The outcome, once. */
    protected abstract void done(CallbackOutcome outcome);

    /** Drops what the callback holds, exactly once, on every path. */
    protected abstract void release();

    /**
     * Asked on the queue before each resend after NFS4ERR_DELAY: false ends the callback as
     * {@link CallbackOutcome.Skipped} (row 06: the delegation was returned or revoked meanwhile).
     * Must not block. Default: still needed.
     */
    protected boolean stillNeeded() {
        return true;
    }

    /**
     * Called on the queue each time the operation is handed to the transport (a retry calls it
     * again), before the call goes out; for counters. Must not block or throw.
     */
    protected void sent() {
        // most callbacks do not count their sends
    }

    /** Whether the callback is queued or running now (its token is held). */
    public final boolean isRunning() {
        return running.get();
    }

    final boolean tryClaim() {
        return running.compareAndSet(false, true);
    }

    final void clearClaim() {
        running.set(false);
    }

    @Override
    public String toString() {
        return kind + "[" + subject() + "]";
    }
}

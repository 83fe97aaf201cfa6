package org.jnfsd.core.copy;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * One asynchronous COPY, known to OFFLOAD_STATUS and OFFLOAD_CANCEL by its stateid.
 *
 * <pre>
 *              complete(status, true)                offloadReleased()
 *   RUNNING ─────────────────────────► NOTIFYING ─────────────────────► COMPLETED ──reap()──► REAPED
 *      │ \──────────── complete(status, false) ───────────────────────────► ▲                  ▲
 *      └──── cancel() ──► CANCELLED ──────────────────── reap() ──────────────────────────────┘
 * </pre>
 *
 * <p>The state changes only by compare-and-set in the named methods, so a cancel racing the
 * completion has exactly one winner, and a copy whose CB_OFFLOAD is in flight (NOTIFYING) can never
 * be reaped (callback-races row 20c): only the callback's release moves it on. {@code copied} is only
 * written by the task running the copy (through {@link #progress}); {@code result} and
 * {@code endedAt} are written once, by the winning {@link #complete} or {@link #cancel} (endedAt
 * again by {@link #offloadReleased}, so the keep time counts from the end of the callback).
 *
 * <p>The copy task is claimed once ({@link #claimTask}): by the task when it starts, or by the
 * client's teardown for a copy whose task never started, so {@link #taskEnded} always completes.
 */
public final class AsyncCopy {
    /**
     * What to copy, and what CB_OFFLOAD reports.
     *
     * @param dstFh the destination's file handle on the wire (CB_OFFLOAD's coa_fh)
     * @param verifier the server's write verifier (the data is UNSTABLE4 until COMMIT)
     */
    public record Request(VirtualFileSystem fs, Inode src, long srcOffset, Inode dst, long dstOffset, long count,
            byte[] dstFh, byte[] verifier) {
        public Request {
            dstFh = dstFh.clone();
            verifier = verifier.clone();
        }

        @Override
        public byte[] dstFh() {
            return dstFh.clone();
        }

        @Override
        public byte[] verifier() {
            return verifier.clone();
        }
    }

    private final StateId stateId;
    private final long clientId;
    private final Request request;
    private final AtomicReference<CopyState> state = new AtomicReference<>(CopyState.RUNNING);
    private final AtomicLong copied = new AtomicLong();
    private final AtomicBoolean taskClaimed = new AtomicBoolean();
    private final CompletableFuture<Void> taskEnded = new CompletableFuture<>();
    private volatile NfsStatus result; // written once, by complete()
    private volatile Instant endedAt; // written by complete()/cancel(), then by offloadReleased()

    AsyncCopy(StateId stateId, long clientId, Request request) {
        this.stateId = stateId;
        this.clientId = clientId;
        this.request = request;
    }

    public StateId stateId() {
        return stateId;
    }

    public long clientId() {
        return clientId;
    }

    Request request() {
        return request;
    }

    public CopyState state() {
        return state.get();
    }

    /** Bytes copied so far. */
    public long copied() {
        return copied.get();
    }

    /** The final status once the copy ended (NOTIFYING or COMPLETED); null before, and when cancelled. */
    public NfsStatus result() {
        return result;
    }

    /** When it ended (or its CB_OFFLOAD was released); null while RUNNING. */
    public Instant endedAt() {
        return endedAt;
    }

    /** Completes once the copy task has returned (or was never to run). */
    public CompletionStage<Void> taskEnded() {
        return taskEnded;
    }

    /** Records {@code bytes} more copied; by the copying task only. */
    void progress(long bytes) {
        copied.addAndGet(bytes);
    }

    /** Takes the task token; true once (for the task starting, or for teardown taking a task never started). */
    boolean claimTask() {
        return taskClaimed.compareAndSet(false, true);
    }

    /** The task has returned; by whoever claimed it. */
    void taskDone() {
        taskEnded.complete(null);
    }

    /**
     * RUNNING → NOTIFYING ({@code notifying}: a CB_OFFLOAD is about to be queued) or COMPLETED, with
     * {@code status}; false when it was cancelled first.
     */
    boolean complete(NfsStatus status, boolean notifying, Instant now) {
        CopyState to = notifying ? CopyState.NOTIFYING : CopyState.COMPLETED;
        if (state.compareAndSet(CopyState.RUNNING, to)) {
            result = status;
            endedAt = now;
            return true;
        }
        return false;
    }

    /** NOTIFYING → COMPLETED: the CB_OFFLOAD's release ran. False (a bug) in any other state. */
    boolean offloadReleased(Instant now) {
        if (state.compareAndSet(CopyState.NOTIFYING, CopyState.COMPLETED)) {
            endedAt = now;
            return true;
        }
        return false;
    }

    /** RUNNING → CANCELLED; false when it had ended (or was cancelled) already. */
    boolean cancel(Instant now) {
        if (state.compareAndSet(CopyState.RUNNING, CopyState.CANCELLED)) {
            endedAt = now;
            return true;
        }
        return false;
    }

    public boolean isCancelled() {
        return state.get() == CopyState.CANCELLED;
    }

    /** COMPLETED or CANCELLED → REAPED; false while RUNNING or NOTIFYING, or when reaped already. */
    boolean reap() {
        CopyState s = state.get();
        return (s == CopyState.COMPLETED || s == CopyState.CANCELLED) && state.compareAndSet(s, CopyState.REAPED);
    }

    @Override
    public String toString() {
        return "AsyncCopy[" + stateId.key() + " of client " + Long.toHexString(clientId) + ", " + state.get() + ", "
                + copied.get() + "/" + request.count() + " bytes]";
    }
}

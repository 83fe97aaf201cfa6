package org.jnfsd.core.copy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * One asynchronous COPY, known to OFFLOAD_STATUS and OFFLOAD_CANCEL by its stateid.
 *
 * <pre>
 *   RUNNING --complete()--> COMPLETED --reap()--> REAPED
 *      \                                    ^
 *       --cancel()--> CANCELLED --reap()---/
 * </pre>
 *
 * <p>The state changes only by compare-and-set in the named methods, so a cancel racing the
 * completion has exactly one winner. {@code copied} is only written by the task running the copy
 * (through {@link #progress}); {@code result} is written once, by the winning {@link #complete}.
 *
 * <p>Only the synchronous path exists yet: nothing creates an {@code AsyncCopy} until the async
 * COPY (with CB_OFFLOAD on the callback queue) is built on top of {@link CopyEngine} and
 * {@link Copies}.
 */
public final class AsyncCopy {
    private final StateId stateId;
    private final long clientId;
    private final AtomicReference<CopyState> state = new AtomicReference<>(CopyState.RUNNING);
    private final AtomicLong copied = new AtomicLong();
    private volatile NfsStatus result; // written once, by complete()

    public AsyncCopy(StateId stateId, long clientId) {
        this.stateId = stateId;
        this.clientId = clientId;
    }

    public StateId stateId() {
        return stateId;
    }

    public long clientId() {
        return clientId;
    }

    public CopyState state() {
        return state.get();
    }

    /** Bytes copied so far. */
    public long copied() {
        return copied.get();
    }

    /** The final status once COMPLETED; null before. */
    public NfsStatus result() {
        return result;
    }

    /** Records {@code bytes} more copied; by the copying task only. */
    void progress(long bytes) {
        copied.addAndGet(bytes);
    }

    /** RUNNING → COMPLETED with {@code status}; false when it was cancelled first. */
    public boolean complete(NfsStatus status) {
        if (state.compareAndSet(CopyState.RUNNING, CopyState.COMPLETED)) {
            result = status;
            return true;
        }
        return false;
    }

    /** RUNNING → CANCELLED; false when it had completed (or was cancelled) already. */
    public boolean cancel() {
        return state.compareAndSet(CopyState.RUNNING, CopyState.CANCELLED);
    }

    public boolean isCancelled() {
        return state.get() == CopyState.CANCELLED;
    }

    /** COMPLETED or CANCELLED → REAPED; false while RUNNING or when reaped already. */
    public boolean reap() {
        CopyState s = state.get();
        return (s == CopyState.COMPLETED || s == CopyState.CANCELLED) && state.compareAndSet(s, CopyState.REAPED);
    }

    @Override
    public String toString() {
        return "AsyncCopy[" + stateId + " of client " + Long.toHexString(clientId) + ", " + state.get() + ", "
                + copied.get() + " bytes]";
    }
}

package org.jnfsd.core.delegation;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * One read delegation a client holds on one file.
 *
 * <pre>
 *   GRANTED --recall()--> RECALLING --returned()--> RETURNED
 *      |                      |
 *      |                      +--revoke()--> REVOKED
 *      +--returned()--> RETURNED
 *      +--revoke()--> REVOKED
 * </pre>
 *
 * RETURNED and REVOKED are final. Every transition is a CAS on {@link #state}; the method that
 * wins the CAS does the side effects ({@link DelegationTable} keeps its maps under its own lock,
 * and calls the transitions only under that lock, so {@link #recallStartedAt} has one writer).
 */
public final class Delegation {
    /** The lifecycle of a delegation (diagram in the class comment). */
    public enum State {
        GRANTED,
        RECALLING,
        RETURNED,
        REVOKED
    }

    private final long clientId;
    private final FileHandle file;
    private final StateId stateId;
    private final AtomicReference<State> state = new AtomicReference<>(State.GRANTED);
    // written before the GRANTED -> RECALLING CAS, under DelegationTable's lock; read after RECALLING
    private volatile Instant recallStartedAt;

    Delegation(long clientId, FileHandle file, StateId stateId) {
        this.clientId = clientId;
        this.file = file;
        this.stateId = stateId;
    }

    public long clientId() {
        return clientId;
    }

    public FileHandle file() {
        return file;
    }

    /** The delegation stateid (seqid 1; a delegation's seqid never changes). */
    public StateId stateId() {
        return stateId;
    }

    public State state() {
        return state.get();
    }

    /** When the recall started, or null when it never did. */
    public Instant recallStartedAt() {
        return recallStartedAt;
    }

    /** GRANTED to RECALLING; true only for the one caller that made the transition. */
    boolean recall(Instant now) {
        if (state.get() != State.GRANTED) {
            return false;
        }
        recallStartedAt = now;
        return state.compareAndSet(State.GRANTED, State.RECALLING);
    }

    /**
     * GRANTED or RECALLING to RETURNED (DELEGRETURN, or a grant withdrawn before the client saw it);
     * true only for the caller that did it.
     */
    boolean returned() {
        return state.compareAndSet(State.GRANTED, State.RETURNED)
                || state.compareAndSet(State.RECALLING, State.RETURNED);
    }

    /** GRANTED or RECALLING to REVOKED; true only for the caller that did it. */
    boolean revoke() {
        return state.compareAndSet(State.GRANTED, State.REVOKED)
                || state.compareAndSet(State.RECALLING, State.REVOKED);
    }

    /** Still usable by its holder (GRANTED or RECALLING). */
    public boolean isLive() {
        State s = state.get();
        return s == State.GRANTED || s == State.RECALLING;
    }

    @Override
    public String toString() {
        return "Delegation[client=" + Long.toHexString(clientId) + ", " + stateId.key() + ", " + state.get() + "]";
    }
}

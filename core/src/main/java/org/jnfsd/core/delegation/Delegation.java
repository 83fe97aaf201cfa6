package org.jnfsd.core.delegation;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * One delegation (read or write, {@link #type}) a client holds on one file.
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

    /** What the holder may do locally (RFC 8881 §10.4). */
    public enum Type {
        READ,
        WRITE
    }

    private final long clientId;
    private final FileHandle file;
    private final StateId stateId;
    private final Type type;
    // WRITE only: the file's change attribute and size when granted
    private final long grantedChange;
    private final long grantedSize;
    // WRITE only: set once a CB_GETATTR reply showed the holder modified the file; never cleared
    private final AtomicBoolean holderModified = new AtomicBoolean();
    // RFC 9754: set by the OPEN that granted it with WANT_DELEG_TIMESTAMPS, before its reply; never cleared
    private volatile boolean timestamps;
    private final AtomicReference<State> state = new AtomicReference<>(State.GRANTED);
    // written before the GRANTED -> RECALLING CAS, under DelegationTable's lock; read after RECALLING
    private volatile Instant recallStartedAt;

    Delegation(long clientId, FileHandle file, StateId stateId) {
        this(clientId, file, stateId, Type.READ, 0, 0);
    }

    Delegation(long clientId, FileHandle file, StateId stateId, Type type, long grantedChange, long grantedSize) {
        this.clientId = clientId;
        this.file = file;
        this.stateId = stateId;
        this.type = type;
        this.grantedChange = grantedChange;
        this.grantedSize = grantedSize;
    }

    public Type type() {
        return type;
    }

    /**
     * A CB_GETATTR reply of the holder (write delegations only): whether the file has been modified
     * under the delegation, now or in an earlier reply (the holder's change or size differs from
     * the file's when the delegation was granted; RFC 8881 §10.4.3). Sticky, so every later
     * conflicting GETATTR advances the server's change attribute again, as knfsd does.
     */
    public boolean noteHolderAttributes(long change, long size) {
        if (type != Type.WRITE) {
            throw new IllegalStateException("CB_GETATTR attributes for " + this + ", not a write delegation");
        }
        if (change != grantedChange || size != grantedSize) {
            holderModified.set(true);
        }
        return holderModified.get();
    }

    /**
     * Makes this a timestamps delegation (RFC 9754 READ_ATTRS_DELEG / WRITE_ATTRS_DELEG): its holder
     * reports time_deleg_access / time_deleg_modify in CB_GETATTR and may set them with SETATTR.
     */
    public void delegateTimestamps() {
        timestamps = true;
    }

    /** Whether the times are delegated too ({@link #delegateTimestamps}). */
    public boolean timestamps() {
        return timestamps;
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
        return "Delegation[" + type + ", client=" + Long.toHexString(clientId) + ", " + stateId.key() + ", "
                + state.get() + "]";
    }
}

package org.jnfsd.core.session;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import org.jnfsd.protocol.nfs4.OpResult;

/**
 * One client record (RFC 8881 §2.4): created by EXCHANGE_ID, confirmed by the first CREATE_SESSION.
 *
 * <pre>
 *   EXCHANGE_ID ──► UNCONFIRMED ──CREATE_SESSION──► ACTIVE ⇄ COURTESY ──► EXPIRING ──► DESTROYED
 *                      │                              │                                   ▲
 *                      └─ replaced by EXCHANGE_ID ────┴── DESTROY_CLIENTID / replaced ────┘
 * </pre>
 *
 * UNCONFIRMED → ACTIVE: {@link SessionManager#createSession}. ACTIVE → COURTESY: {@link
 * SessionManager#sweep} (the laundromat) when the lease lapsed. COURTESY → ACTIVE: {@link
 * SessionManager#beginCompound} (SEQUENCE) or CREATE_SESSION. COURTESY (or an UNCONFIRMED record
 * whose lease lapsed, or an ACTIVE record replaced by its rebooted client's CREATE_SESSION) → EXPIRING: {@link SessionManager#sweep} (courtesy limit or maximum
 * courtesy time) or {@link SessionManager#expireIfAllCourtesy} (a conflicting request). EXPIRING →
 * DESTROYED: {@link SessionManager#finishExpiry}, by the client teardown once no compound of the
 * client is in flight. → DESTROYED directly: {@link SessionManager} when the record is replaced
 * (EXCHANGE_ID cases 3 and 4) or destroyed (DESTROY_CLIENTID); the caller then runs the teardown.
 *
 * <p>Concurrency: {@link #state}, {@link #sessions}, {@link #reclaimComplete}, {@link
 * #courtesySince}, {@link #compoundsInFlight} and {@link #teardownPending} are guarded by the
 * owning {@link SessionManager}'s lock. The CREATE_SESSION replay slot is guarded by
 * {@link #createSessionLock()}, which is taken before the manager's lock, never after.
 * {@link #lastRenewed} is volatile, written by SEQUENCE and CREATE_SESSION.
 */
public final class ClientRecord {
    /** The lifecycle of a client record; see the class comment for the diagram. */
    public enum State {
        UNCONFIRMED,
        ACTIVE,
        COURTESY,
        EXPIRING,
        DESTROYED
    }

    private final ClientId id;
    private final OwnerKey owner;
    private final byte[] verifier;
    private final Principal principal;
    private final Object createSessionLock = new Object();
    /** The owning manager's lock, for snapshots read from outside it. */
    private final Object managerLock;

    // guarded by the manager's lock
    private State state = State.UNCONFIRMED;
    // guarded by the manager's lock
    private final Set<Session> sessions = new LinkedHashSet<>();
    // guarded by the manager's lock
    private boolean reclaimComplete;
    // guarded by the manager's lock: when it became COURTESY (null otherwise)
    private Instant courtesySince;
    // guarded by the manager's lock: COMPOUNDs that passed SEQUENCE and have not completed their slot
    private int compoundsInFlight;
    // guarded by the manager's lock: EXPIRING with compounds in flight; the last one out tears down
    private boolean teardownPending;

    /**
     * Csa_sequence of the last CREATE_SESSION executed (0 before the first, so EXCHANGE_ID offers
     * 1), and its reply.
     */
    @GuardedBy("createSessionLock()")
    private int lastCreateSessionSeq;
    private OpResult lastCreateSessionReply;

    // guarded by the manager's lock: the NFSv4.0 identity (SETCLIENTID), null for a 4.1 record,
    // and a callback update SETCLIENTID asked for that SETCLIENTID_CONFIRM has not confirmed yet
    private V40Identity v40;
    private V40Identity v40Pending;

    private volatile Instant lastRenewed;
    /** Set once by EXCHANGE_ID right after it made the record. */
    private volatile ClientInfo info = ClientInfo.UNKNOWN;
    /** The callback channel's SEQUENCE flags; written by whoever creates the client's callback channel. */
    private volatile IntSupplier callbackStatusFlags = () -> 0;

    ClientRecord(Object managerLock, ClientId id, OwnerKey owner, byte[] verifier, Principal principal,
            Instant now) {
        this.managerLock = managerLock;
        this.id = id;
        this.owner = owner;
        this.verifier = verifier.clone();
        this.principal = principal;
        this.lastRenewed = now;
    }

    public ClientId id() {
        return id;
    }

    /** What the client said about itself when it made this record. */
    public ClientInfo info() {
        return info;
    }

    public void describe(ClientInfo i) {
        this.info = java.util.Objects.requireNonNull(i, "info");
    }

    public byte[] ownerId() {
        return owner.bytes();
    }

    OwnerKey owner() {
        return owner;
    }

    public byte[] verifier() {
        return verifier.clone();
    }

    boolean verifierMatches(byte[] other) {
        return Arrays.equals(verifier, other);
    }

    public Principal principal() {
        return principal;
    }

    /** A snapshot of the state; may be stale as soon as it returns. */
    public State state() {
        synchronized (managerLock) {
            return state;
        }
    }

    /** The instant of the last lease renewal, from the injected clock. */
    public Instant lastRenewed() {
        return lastRenewed;
    }

    void renew(Instant now) {
        lastRenewed = now;
    }

    /**
     * Status flags SEQUENCE reports for this client (RFC 8881 §18.46.3): the callback channel's
     * (CB_PATH_DOWN, CB_PATH_DOWN_SESSION, BACKCHANNEL_FAULT, see {@code CallbackChannel.statusFlags});
     * the lease work adds the *_STATE_REVOKED flags.
     */
    public int sequenceStatusFlags() {
        return callbackStatusFlags.getAsInt();
    }

    /** Makes SEQUENCE report {@code flags} (the client's callback channel's status flags). */
    public void setCallbackStatusFlags(IntSupplier flags) {
        this.callbackStatusFlags = flags;
    }

    /** Sessions of this client that are not yet destroyed (OPEN or DRAINING); a snapshot. */
    public List<Session> sessions() {
        synchronized (managerLock) {
            return new ArrayList<>(sessions);
        }
    }

    /** The lock that serializes this client's CREATE_SESSIONs (taken before the manager's lock). */
    public Object createSessionLock() {
        return createSessionLock;
    }

    /** Whether SETCLIENTID (NFSv4.0) made this record; a snapshot. */
    public boolean isV40() {
        synchronized (managerLock) {
            return v40 != null;
        }
    }

    /** The NFSv4.0 identity (callback, confirm verifier), null for a 4.1 record; a snapshot. */
    public V40Identity v40() {
        synchronized (managerLock) {
            return v40;
        }
    }

    // ---- under the manager's lock ----

    V40Identity v40Locked() {
        return v40;
    }

    void setV40Locked(V40Identity identity) {
        v40 = identity;
    }

    V40Identity v40PendingLocked() {
        return v40Pending;
    }

    void setV40PendingLocked(V40Identity identity) {
        v40Pending = identity;
    }

    State stateLocked() {
        return state;
    }

    void setStateLocked(State s) {
        state = s;
    }

    Set<Session> sessionsLocked() {
        return sessions;
    }

    boolean reclaimCompleteLocked() {
        return reclaimComplete;
    }

    void setReclaimCompleteLocked() {
        reclaimComplete = true;
    }

    Instant courtesySinceLocked() {
        return courtesySince;
    }

    void setCourtesySinceLocked(Instant t) {
        courtesySince = t;
    }

    int compoundsInFlightLocked() {
        return compoundsInFlight;
    }

    void addCompoundsInFlightLocked(int delta) {
        compoundsInFlight += delta;
        if (compoundsInFlight < 0) {
            throw new IllegalStateException(this + ": more compounds completed than started");
        }
    }

    boolean teardownPendingLocked() {
        return teardownPending;
    }

    void setTeardownPendingLocked(boolean b) {
        teardownPending = b;
    }

    /** COMPOUNDs of this client past SEQUENCE and not yet completed; a snapshot. */
    public int compoundsInFlight() {
        synchronized (managerLock) {
            return compoundsInFlight;
        }
    }

    // ---- under createSessionLock ----

    /** The last CREATE_SESSION sequence executed; EXCHANGE_ID returns this + 1. */
    public int lastCreateSessionSeq() {
        synchronized (createSessionLock()) {
            return lastCreateSessionSeq;
        }
    }

    /**
     * The cached reply to the last CREATE_SESSION, or null before the first. Caller holds
     * createSessionLock.
     */
    @GuardedBy("createSessionLock()")
    public OpResult lastCreateSessionReplyLocked() {
        return lastCreateSessionReply;
    }

    @GuardedBy("createSessionLock()")
    public int lastCreateSessionSeqLocked() {
        return lastCreateSessionSeq;
    }

    /** Records CREATE_SESSION {@code seq}'s reply for replays. Caller holds createSessionLock. */
    @GuardedBy("createSessionLock()")
    public void recordCreateSessionLocked(int seq, OpResult reply) {
        lastCreateSessionSeq = seq;
        lastCreateSessionReply = reply;
    }

    @Override
    public String toString() {
        return "Client[" + id + " owner=" + HexFormat.of().formatHex(owner.bytes()) + "]";
    }
}

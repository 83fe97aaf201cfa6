package org.jnfsd.core.recovery;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grace period after a restart (RFC 8881 §8.4.2.1) and the bookkeeping of which clients may
 * reclaim, in front of a {@link RecoveryStore}. One per server instance.
 *
 * <pre>
 *   NEW ──open: previous epoch left records──► IN_GRACE ──(deadline passed, or every recorded
 *    │                                            ▲  │        client sent RECLAIM_COMPLETE)──► ENDED
 *    │                                            └──┘ deadline passed while old clients are still
 *    │                                                 reclaiming: extended (bounded, logged)
 *    └──open: no records (a fresh server)──────────────────────────────────────────────► ENDED
 * </pre>
 *
 * <p>Extension (as knfsd's clients_still_reclaiming): when the deadline comes while some client of
 * the previous epoch has not sent RECLAIM_COMPLETE, and some client of the previous epoch reclaimed
 * or completed within the last extension step before it, the deadline moves one step (the lease)
 * later, never past {@code 3 × lease} after the start (or the grace time, if longer). Each
 * extension is logged. A slow server with many clients reclaiming thus does not answer
 * NFS4ERR_NO_GRACE to a client that only just came back, while a grace period nobody uses ends
 * on time.
 *
 * {@link #open} opens the new epoch in the store and picks the first state; {@code JnfsdServer}
 * calls it once its port is bound, so a start that cannot bind leaves the store untouched. Every
 * other method opens it first if nobody did (so a server driven without a listener, as in tests,
 * needs no extra call); NEW is never observed from outside. IN_GRACE → ENDED is made by {@link #endIfDueLocked}, which
 * {@link #inGrace}, every check and {@link #reclaimComplete} call: the deadline is compared lazily
 * against the injected clock, so no thread or timer of its own is needed (the laundromat may call
 * {@link #inGrace} to end it on time). Ending forgets, in the store, every client that did not
 * record itself again in this epoch.
 *
 * <p>Rules (checked by the operations):
 * <ul>
 *   <li>{@link #checkNotInGrace}: during grace, OPEN CLAIM_NULL / CLAIM_FH, non-reclaim LOCK, LOCKT,
 *       REMOVE and RENAME get NFS4ERR_GRACE, as knfsd (nfsd4_open, nfsd4_lock, nfsd4_lockt,
 *       nfsd4_remove, nfsd4_rename); REMOVE and RENAME because they could destroy a file a client
 *       is about to reclaim an open of.
 *   <li>{@link #checkReclaim}: OPEN CLAIM_PREVIOUS and LOCK with reclaim set get NFS4ERR_NO_GRACE
 *       after grace, after the client's own RECLAIM_COMPLETE, and when the client is not in the
 *       store (it has "no current role in reclaiming locks": RFC 8881 §15.1.9, NFS4ERR_NO_GRACE;
 *       knfsd likewise answers NO_GRACE for a client nfsdcld does not know, and the Linux client
 *       then recovers with ordinary OPENs after grace). NFS4ERR_RECLAIM_BAD is left for a reclaim
 *       of something that could not have existed (here: a delegation, never granted); the server
 *       is not obliged to detect more (§15.1.9, NFS4ERR_RECLAIM_BAD).
 * </ul>
 *
 * <p>Recording: {@link #stateGranted} writes a client to the store the first time it obtains
 * state in this server instance (first OPEN, reclaim or not); {@link #clientDestroyed} removes it.
 *
 * <p>Concurrency: every mutable field is guarded by {@link #lock}; store calls are made under it
 * too (they are local and short), so a record and a removal of the same owner are never reordered.
 */
public final class GracePeriod {
    private static final Logger log = LoggerFactory.getLogger(GracePeriod.class);

    /** See the class comment for the diagram. */
    public enum State {
        /** The epoch is not open yet (internal: every public method opens it first). */
        NEW,
        IN_GRACE,
        ENDED
    }

    private final RecoveryStore store;
    private final Clock clock;
    private final Duration graceTime;
    /** One extension step (the lease); zero: never extends. */
    private final Duration extension;
    /** How long grace lasts at most, extensions included, from its start. */
    private final Duration maxGrace;
    private final Object lock = new Object();

    @GuardedBy("lock")
    private State state = State.NEW;
    /** When IN_GRACE ends at the latest (set by open). */
    @GuardedBy("lock")
    private Instant deadline;
    /** When IN_GRACE began, and ends at the latest with every extension. */
    @GuardedBy("lock")
    private Instant cap;
    /** The last reclaim or RECLAIM_COMPLETE of a client of the previous epoch. */
    @GuardedBy("lock")
    private Instant lastReclaimActivity;
    /** How many times the deadline moved. */
    @GuardedBy("lock")
    private int extensions;
    /** Owner keys of the clients that may reclaim (the previous generations). */
    @GuardedBy("lock")
    private final Set<String> reclaimable = new HashSet<>();
    /** Reclaimable owners that have not sent RECLAIM_COMPLETE yet. */
    @GuardedBy("lock")
    private final Set<String> pending = new HashSet<>();
    /** Client ids (this instance) that sent RECLAIM_COMPLETE during grace. */
    @GuardedBy("lock")
    private final Set<Long> completed = new HashSet<>();
    /** Reclaims granted during grace. */
    @GuardedBy("lock")
    private long reclaims;
    /** Owner key → client id recorded in the store by this instance, and back. */
    @GuardedBy("lock")
    private final Map<String, Long> recorded = new HashMap<>();
    @GuardedBy("lock")
    private final Map<Long, String> ownerById = new HashMap<>();

    /**
     * A grace period of {@code graceTime} in front of {@code store}; the epoch opens on {@link #open}
     * (or the first other call).
     */
    public GracePeriod(RecoveryStore store, Clock clock, Duration graceTime) {
        this(store, clock, graceTime, Duration.ZERO);
    }

    /**
     * As above, extending while clients of the previous epoch are still reclaiming (see the class
     * comment) by steps of {@code leaseTime}, up to {@code 3 × leaseTime} in all (or
     * {@code graceTime}, if longer); a zero {@code leaseTime} never extends.
     */
    public GracePeriod(RecoveryStore store, Clock clock, Duration graceTime, Duration leaseTime) {
        this.store = store;
        this.clock = clock;
        this.graceTime = graceTime;
        this.extension = leaseTime;
        Duration threeLeases = leaseTime.multipliedBy(3);
        this.maxGrace = threeLeases.compareTo(graceTime) > 0 ? threeLeases : graceTime;
    }

    /**
     * Opens a new epoch in the store and starts the grace period if the previous generations left
     * clients that may reclaim; nothing if already open.
     */
    public void open() {
        synchronized (lock) {
            openLocked();
        }
    }

    /** Whether {@link #open} ran (a peek for gauges: it does not open the epoch). */
    public boolean isOpen() {
        synchronized (lock) {
            return state != State.NEW;
        }
    }

    @GuardedBy("lock")
    private void openLocked() {
        if (state != State.NEW) {
            return;
        }
        List<ReclaimableClient> previous = store.beginEpoch();
        for (ReclaimableClient c : previous) {
            reclaimable.add(c.ownerKey());
        }
        pending.addAll(reclaimable);
        this.deadline = clock.instant().plus(graceTime);
        this.cap = clock.instant().plus(maxGrace);
        if (reclaimable.isEmpty()) {
            state = State.ENDED;
            log.info("no client may reclaim: no grace period");
        } else {
            state = State.IN_GRACE;
            log.info("grace period of {} s: {} client(s) may reclaim", graceTime.toSeconds(), reclaimable.size());
        }
    }

    /** The state now (ending grace first if its time is up). */
    public State state() {
        synchronized (lock) {
            openLocked();
            endIfDueLocked();
            return state;
        }
    }

    /**
     * Whether the grace period is running now (ending it first if its time is up), or a grace
     * period of the cluster the store is shared with ({@link RecoveryStore#clusterInGrace}).
     */
    public boolean inGrace() {
        return state() == State.IN_GRACE || store.clusterInGrace();
    }

    /**
     * Refuses a non-reclaim state-creating operation during grace.
     *
     * @throws NfsException NFS4ERR_GRACE while in grace (this server's or the cluster's);
     *     NFS4ERR_DELAY while the store cannot record new state
     */
    public void checkNotInGrace(String what) throws NfsException {
        checkStoreAvailable(what);
        if (inGrace()) {
            throw new NfsException(NfsStatus.NFS4ERR_GRACE, what + " during the grace period");
        }
    }

    /**
     * Allows a reclaim (OPEN CLAIM_PREVIOUS, LOCK with reclaim) by client {@code clientId} with
     * owner id {@code ownerId}.
     *
     * @throws NfsException NFS4ERR_NO_GRACE after grace, after the client's RECLAIM_COMPLETE, or
     *     for a client the store did not know
     */
    public void checkReclaim(long clientId, byte[] ownerId) throws NfsException {
        String key = key(ownerId);
        checkStoreAvailable("reclaim");
        synchronized (lock) {
            openLocked();
            endIfDueLocked();
            if (state != State.IN_GRACE) {
                throw new NfsException(NfsStatus.NFS4ERR_NO_GRACE, "reclaim outside the grace period");
            }
            if (completed.contains(clientId)) {
                throw new NfsException(NfsStatus.NFS4ERR_NO_GRACE, "reclaim after RECLAIM_COMPLETE");
            }
            if (!reclaimable.contains(key)) {
                throw new NfsException(NfsStatus.NFS4ERR_NO_GRACE, "client " + key + " has nothing to reclaim");
            }
            lastReclaimActivity = clock.instant();
        }
    }

    /**
     * Either check, for operations with a reclaim flag: {@link #checkReclaim} when {@code reclaim},
     * else {@link #checkNotInGrace}. The hook LOCK needs.
     */
    public void check(long clientId, byte[] ownerId, boolean reclaim, String what) throws NfsException {
        if (reclaim) {
            checkReclaim(clientId, ownerId);
        } else {
            checkNotInGrace(what);
        }
    }

    /**
     * The client obtained state (an OPEN; {@code reclaim} when it was a reclaim): records it in
     * the store the first time, so that it may reclaim after a restart, and counts reclaims for the
     * end-of-grace log line. Call it before granting the state: when the store cannot record the
     * client it throws, and nothing must be granted.
     *
     * @throws RecoveryStoreException when the store failed to record the client
     */
    public void stateGranted(long clientId, byte[] ownerId, String principal, boolean reclaim) {
        ReclaimableClient c = new ReclaimableClient(ownerId, principal);
        synchronized (lock) {
            openLocked();
            if (reclaim) {
                reclaims++;
            }
            Long before = recorded.get(c.ownerKey());
            if (before != null && before == clientId) {
                return;
            }
            store.record(c);
            Long replaced = recorded.put(c.ownerKey(), clientId);
            if (replaced != null) {
                ownerById.remove(replaced);
            }
            ownerById.put(clientId, c.ownerKey());
            log.debug("recorded {} (client {}) as reclaimable", c, Long.toHexString(clientId));
        }
    }

    /** How many reclaims this grace period granted so far (they stop counting when it ends). */
    public long reclaims() {
        synchronized (lock) {
            return reclaims;
        }
    }

    /**
     * RECLAIM_COMPLETE (rca_one_fs false) from the client: it reclaims no more; grace ends when
     * every client that may reclaim has said so.
     */
    public void reclaimComplete(long clientId, byte[] ownerId) {
        String key = key(ownerId);
        synchronized (lock) {
            openLocked();
            endIfDueLocked();
            if (state != State.IN_GRACE) {
                return;
            }
            completed.add(clientId);
            if (pending.remove(key)) {
                lastReclaimActivity = clock.instant();
            }
            try {
                store.reclaimComplete(HexFormat.of().parseHex(key));
            } catch (RecoveryStoreException e) {
                log.warn("could not note the RECLAIM_COMPLETE of {} in the recovery store", key, e);
            }
            if (pending.isEmpty()) {
                endLocked("every client that may reclaim sent RECLAIM_COMPLETE");
            }
        }
    }

    /**
     * The client was destroyed (DESTROY_CLIENTID, replaced, expired): forgets its record, unless a
     * newer client of the same owner has recorded itself since. It does not end grace early: a new
     * client of the same owner may still come to reclaim. Keyed by client id alone so that the
     * client teardown can call it as one of its per-client hooks.
     */
    public void clientDestroyed(long clientId) {
        synchronized (lock) {
            openLocked();
            completed.remove(clientId);
            String key = ownerById.remove(clientId);
            if (key != null && recorded.remove(key, clientId)) {
                store.remove(HexFormat.of().parseHex(key));
                log.debug("forgot client {} ({})", Long.toHexString(clientId), key);
            }
        }
    }

    /** How many times this grace period was extended so far. */
    public int extensions() {
        synchronized (lock) {
            return extensions;
        }
    }

    @GuardedBy("lock")
    private void endIfDueLocked() {
        Instant now = clock.instant();
        while (state == State.IN_GRACE && !now.isBefore(deadline)) {
            if (stillReclaimingLocked()) {
                Instant later = deadline.plus(extension);
                deadline = later.isAfter(cap) ? cap : later;
                extensions++;
                log.info("grace period extended to {} (extension {}): {} client(s) still reclaiming", deadline,
                        extensions, pending.size());
                continue;
            }
            endLocked("its time is up; " + pending.size() + " client(s) did not complete reclaim"
                    + (extensions == 0 ? "" : " after " + extensions + " extension(s)"));
            return; // ended, or the store refused and the next check tries again
        }
    }

    /**
     * Whether the deadline should move: some client of the previous epoch has not completed, one
     * reclaimed or completed within the last step before the deadline, and the cap is not reached.
     */
    @GuardedBy("lock")
    private boolean stillReclaimingLocked() {
        return !pending.isEmpty() && extension.isPositive() && deadline.isBefore(cap) && lastReclaimActivity != null
                && !lastReclaimActivity.isBefore(deadline.minus(extension));
    }

    @GuardedBy("lock")
    private void endLocked(String why) {
        try {
            store.endGrace();
        } catch (RecoveryStoreException e) {
            // stay in grace: ending it without the store knowing would let a shared store's other
            // nodes wait for this node's flag forever, and a local one drop nothing; the next
            // check tries again
            log.warn("grace period cannot end yet ({}): the recovery store failed", why, e);
            return;
        }
        state = State.ENDED;
        reclaimable.clear();
        pending.clear();
        completed.clear();
        log.info("grace period over: {}; {} reclaim(s) granted", why, reclaims);
    }

    private void checkStoreAvailable(String what) throws NfsException {
        if (!store.available()) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, what + ": the recovery store is unavailable");
        }
    }

    private static String key(byte[] ownerId) {
        return new ReclaimableClient(ownerId, "").ownerKey();
    }
}

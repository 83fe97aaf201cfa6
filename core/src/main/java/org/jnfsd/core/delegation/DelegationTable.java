package org.jnfsd.core.delegation;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.OrderedLock;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.StateIdKindTable;
import org.jnfsd.core.state.StateKind;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegations of one server (read and write), by stateid, by file and by client. One per
 * server. A file has either read delegations (any number of clients) or one write delegation.
 *
 * <p>Concurrency: every map is written under {@link #lock} (a leaf of the one lock order,
 * {@link OrderedLock.Rank#DELEGATIONS}), and every {@link Delegation} transition is made under it
 * too (the delegation's own CAS then orders readers outside the lock). Only {@link #forIo}, the
 * READ/WRITE path, reads without it: one lookup in the concurrent {@code byStateId} map. No
 * method blocks or touches the network: a recall hands the recalled delegations to a callback
 * ({@code recaller}) that queues the CB_RECALL and returns.
 *
 * <p>Counters ({@link ServerCounters}): revocations and CB_RECALLs sent are counted here. Which
 * recalls revoke at once and which wait for the lease: {@link RecallCallback}. How a grant and a
 * conflicting request cannot race (row 05): the mark {@link #recallConflicting} leaves, checked when
 * a delegation is created, and the caller's re-check after a grant, undone by {@link #withdraw}.
 *
 * <p>A RETURNED delegation is forgotten at once; a REVOKED one stays, answering TEST_STATEID with
 * NFS4ERR_DELEG_REVOKED and counting for the client's SEQUENCE flag
 * RECALLABLE_STATE_REVOKED, until FREE_STATEID. Client teardown ({@link TeardownStep#REVOKE_DELEGATIONS})
 * forgets all of a client's delegations.
 */
public final class DelegationTable implements ClientStateHook, StateIdKindTable {
    private static final Logger log = LoggerFactory.getLogger(DelegationTable.class);

    /** Why a wanted delegation was not granted (OPEN_DELEGATE_NONE_EXT's why_no_deleg). */
    public enum Refusal {
        /** Granted: no refusal. */
        NONE,
        /** Delegations are off or the server-wide limit is reached (WND4_RESOURCE). */
        RESOURCE,
        /** Another client's delegation or recent recall is in the way (WND4_CONTENTION). */
        CONTENTION,
        /** A write delegation asked by a client holding a read one on the file (WND4_NOT_SUPP_UPGRADE). */
        NOT_SUPP_UPGRADE
    }

    /**
     * The outcome of {@link #grantRead} / {@link #grantWrite}: a delegation, or null and the reason.
     * {@code created}: the delegation is new (not one the client already held).
     */
    public record Grant(Delegation delegation, Refusal refusal, boolean created) {
        public Grant(Delegation delegation, Refusal refusal) {
            this(delegation, refusal, false);
        }
    }

    /** A conflicting request of {@code clientId} on a file at {@code at}. */
    private record Conflict(long clientId, Instant at) {}

    private final Clock clock;
    private final StateIdAllocator allocator;
    private final Duration leaseTime;
    private final Duration recallCooldown;
    private final int limit;
    private final ServerCounters counters;

    // a leaf of the one lock order: no other state lock is taken while it is held
    private final OrderedLock lock = new OrderedLock(OrderedLock.Rank.DELEGATIONS);
    // written under lock only; read without it by forIo (READ, WRITE: no server-wide lock there)
    private final Map<StateId.Key, Delegation> byStateId = new java.util.concurrent.ConcurrentHashMap<>();
    /** Live delegations only. */
    @GuardedBy("lock")
    private final Map<FileHandle, Set<Delegation>> byFile = new HashMap<>();
    /**
     * Delegations being recalled whose CB_RECALL the client has not answered, mapped to whether one
     * is queued or in flight now (false: it failed or was never queued, and goes again over the
     * client's next back channel, RFC 8881 §20.7 and §2.10.13).
     */
    @GuardedBy("lock")
    private final Map<Delegation, Boolean> recallsUnanswered = new HashMap<>();
    /** Live and revoked-not-yet-freed delegations. */
    @GuardedBy("lock")
    private final Map<Long, Set<Delegation>> byClient = new HashMap<>();
    /** When each file was last recalled (pruned by revokeExpiredRecalls). */
    @GuardedBy("lock")
    private final Map<FileHandle, Instant> lastRecall = new HashMap<>();
    /**
     * The last conflicting request (write OPEN, SETATTR size, REMOVE, ...) on each file, so that a
     * grant racing it is refused (row 05; pruned by revokeExpiredRecalls).
     */
    @GuardedBy("lock")
    private final Map<FileHandle, Conflict> lastConflict = new HashMap<>();
    @GuardedBy("lock")
    private int live;
    // written under lock only; read without it by writeDelegationOfOther's fast path (GETATTR)
    private volatile int liveWrites;

    /**
     * @param leaseTime a recall unanswered this long is revoked
     * @param recallCooldown no new delegation on a file recalled this recently
     * @param limit the most live delegations at once, server-wide; 0 turns granting off
     */
    public DelegationTable(Clock clock, StateIdAllocator allocator, Duration leaseTime, Duration recallCooldown,
            int limit) {
        this(clock, allocator, leaseTime, recallCooldown, limit, new ServerCounters());
    }

    /**
     * As above, counting into {@code counters}: {@link ServerEvent#DELEGATION_REVOKED} on every
     * revocation of a live client's delegation (recall unanswered for a lease, recall refused), and
     * {@link ServerEvent#CB_RECALL_SENT} when a CB_RECALL goes out. Delegations dropped by a client's
     * teardown are not counted as revoked.
     */
    public DelegationTable(Clock clock, StateIdAllocator allocator, Duration leaseTime, Duration recallCooldown,
            int limit, ServerCounters counters) {
        this.counters = counters;
        this.clock = clock;
        this.allocator = allocator;
        this.leaseTime = leaseTime;
        this.recallCooldown = recallCooldown;
        this.limit = limit;
    }

    /**
     * Grants {@code clientId} a read delegation on {@code file} unless granting is off, the limit
     * is reached, the file was recalled within the cooldown, or another client's delegation on it
     * is being recalled. The caller has checked the rest (callback channel UP, read-only open
     * without deny, no other client writing). A client already holding one gets that one back.
     */
    public Grant grantRead(long clientId, FileHandle file) {
        lock.lock();
        try {
            Set<Delegation> onFile = byFile.getOrDefault(file, Set.of());
            for (Delegation d : onFile) {
                if (d.state() == Delegation.State.RECALLING
                        || (d.type() == Delegation.Type.WRITE && d.clientId() != clientId)) {
                    return new Grant(null, Refusal.CONTENTION);
                }
            }
            for (Delegation d : onFile) {
                if (d.clientId() == clientId) {
                    return new Grant(d, Refusal.NONE);
                }
            }
            return createLocked(clientId, file, Delegation.Type.READ, 0, 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Grants {@code clientId} a write delegation on {@code file} unless granting is off, the limit is
     * reached, the file was recalled within the cooldown, or any other client's delegation is on it
     * (a client holding a read one gets {@link Refusal#NOT_SUPP_UPGRADE}). The caller has checked
     * the rest (write delegations on, callback channel UP, an open for write without deny, no other
     * client has the file open). A client already holding one gets that one back.
     *
     * @param change the file's change attribute now (what CB_GETATTR replies are compared with)
     * @param size the file's size now
     */
    public Grant grantWrite(long clientId, FileHandle file, long change, long size) {
        lock.lock();
        try {
            Set<Delegation> onFile = byFile.getOrDefault(file, Set.of());
            for (Delegation d : onFile) {
                if (d.clientId() != clientId || d.state() == Delegation.State.RECALLING) {
                    return new Grant(null, Refusal.CONTENTION);
                }
            }
            if (!onFile.isEmpty()) { // only the client's own (checked above)
                Delegation own = onFile.iterator().next();
                return own.type() == Delegation.Type.WRITE ? new Grant(own, Refusal.NONE)
                        : new Grant(null, Refusal.NOT_SUPP_UPGRADE);
            }
            return createLocked(clientId, file, Delegation.Type.WRITE, change, size);
        } finally {
            lock.unlock();
        }
    }

    // requires lock: the limit and the recall cooldown, then a new delegation in every map
    @GuardedBy("lock")
    private Grant createLocked(long clientId, FileHandle file, Delegation.Type type, long change, long size) {
        if (live >= limit) {
            return new Grant(null, Refusal.RESOURCE);
        }
        Instant recalled = lastRecall.get(file);
        Instant now = clock.instant();
        if (recalled != null) {
            if (now.isBefore(recalled.plus(recallCooldown))) {
                return new Grant(null, Refusal.CONTENTION);
            }
            lastRecall.remove(file);
        }
        // another client's conflicting request (write OPEN, SETATTR size, ...) checked for
        // delegations before this one existed and is proceeding: refuse (row 05)
        Conflict conflict = lastConflict.get(file);
        if (conflict != null && conflict.clientId() != clientId && now.isBefore(conflict.at().plus(recallCooldown))) {
            return new Grant(null, Refusal.CONTENTION);
        }
        Delegation d = new Delegation(clientId, file, new StateId(1, allocator.newOther(StateKind.DELEGATION)), type,
                change, size);
        byStateId.put(d.stateId().key(), d);
        byFile.computeIfAbsent(file, f -> new HashSet<>()).add(d);
        byClient.computeIfAbsent(clientId, c -> new HashSet<>()).add(d);
        addLive(d);
        log.debug("granted {} on {}", d, file);
        return new Grant(d, Refusal.NONE, true);
    }

    /**
     * Takes back a delegation {@link Grant#created} moments ago that must not stand (a conflicting
     * open of another client appeared between the caller's check and the grant): it goes as if
     * returned. The client never saw it.
     */
    public void withdraw(Delegation d) {
        lock.lock();
        try {
            if (d.returned()) {
                removeFromFile(d);
                forget(d);
                dropLive(d);
                log.debug("withdrew {}: a conflicting open raced its grant", d);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Another client's live write delegation on {@code file} (GRANTED or RECALLING), or null. Only
     * ever a {@link Delegation.Type#WRITE} delegation: the one CB_GETATTR may be sent for
     * (callback-races row 21).
     */
    public Delegation writeDelegationOfOther(long clientId, FileHandle file) {
        if (liveWrites == 0) {
            return null; // every GETATTR of size or change asks: no lock while no write delegation exists
        }
        lock.lock();
        try {
            for (Delegation d : byFile.getOrDefault(file, Set.of())) {
                if (d.clientId() != clientId && d.type() == Delegation.Type.WRITE && d.isLive()) {
                    return d;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A request of {@code clientId} that conflicts with read delegations on {@code file} (an OPEN
     * for write, SETATTR of the size, REMOVE, RENAME): starts the recall of every other client's
     * delegation on it, handing each newly recalled one to {@code recaller} (which must only queue
     * the CB_RECALL), and revokes those whose recall has gone unanswered for a lease.
     *
     * @return true when delegations of other clients are still in the way (answer NFS4ERR_DELAY)
     */
    public boolean recallConflicting(long clientId, FileHandle file, Consumer<Delegation> recaller) {
        return recallConflicting(clientId, file, false, recaller);
    }

    /**
     * {@link #recallConflicting(long, FileHandle, Consumer)} of write delegations only when {@code
     * writeOnly} (a request that only reads: OPEN for read, READ with a special stateid, GETATTR
     * whose CB_GETATTR failed).
     */
    public boolean recallConflicting(long clientId, FileHandle file, boolean writeOnly, Consumer<Delegation> recaller) {
        List<Delegation> toRecall = new ArrayList<>();
        boolean inTheWay = false;
        lock.lock();
        try {
            Instant now = clock.instant();
            lastConflict.put(file, new Conflict(clientId, now));
            for (Delegation d : List.copyOf(byFile.getOrDefault(file, Set.of()))) {
                if (d.clientId() == clientId || (writeOnly && d.type() != Delegation.Type.WRITE)) {
                    continue; // the holder's own requests do not recall; reads leave read delegations
                }
                if (d.recall(now)) {
                    lastRecall.put(file, now);
                    toRecall.add(d);
                    inTheWay = true;
                } else if (d.state() == Delegation.State.RECALLING && recallExpired(d, now)) {
                    revokeLocked(d);
                } else if (d.isLive()) {
                    inTheWay = true;
                }
            }
        } finally {
            lock.unlock();
        }
        // outside the lock: the recaller only queues, but must not run under this table's lock
        toRecall.forEach(recaller);
        return inTheWay;
    }

    /**
     * {@link #recallConflicting} queueing a {@link RecallCallback} on each holder's callback
     * channel (never waiting for it). A holder without a channel gets no CB_RECALL; its
     * delegation is revoked after a lease like any unanswered recall.
     *
     * @return true when the caller must answer NFS4ERR_DELAY
     */
    public boolean recallFor(long clientId, FileHandle file, CallbackService callbacks) {
        return recallFor(clientId, file, false, callbacks);
    }

    /**
     * {@link #recallFor(long, FileHandle, CallbackService)}, of write delegations only when {@code
     * writeOnly}.
     */
    public boolean recallFor(long clientId, FileHandle file, boolean writeOnly, CallbackService callbacks) {
        return recallConflicting(clientId, file, writeOnly, d -> queueRecall(d, callbacks));
    }

    /**
     * Fault injection ({@code jnfsd inject recall}): starts the recall of every live delegation
     * {@code which} selects, as a conflicting request would (CB_RECALL queued, revoked after a lease
     * unless returned), without a conflicting request. Returns how many recalls started.
     */
    public int recallMatching(Predicate<Delegation> which, CallbackService callbacks) {
        List<Delegation> toRecall = new ArrayList<>();
        lock.lock();
        try {
            Instant now = clock.instant();
            for (Delegation d : List.copyOf(byStateId.values())) {
                if (which.test(d) && d.recall(now)) {
                    lastRecall.put(d.file(), now);
                    toRecall.add(d);
                }
            }
        } finally {
            lock.unlock();
        }
        toRecall.forEach(d -> queueRecall(d, callbacks));
        return toRecall.size();
    }

    /**
     * Fault injection ({@code jnfsd inject revoke}): revokes now every live delegation {@code which}
     * selects, as an unanswered recall is revoked (counted; the holder's SEQUENCE then shows
     * SEQ4_STATUS_RECALLABLE_STATE_REVOKED). Returns how many were revoked.
     */
    public int revokeMatching(Predicate<Delegation> which, String why) {
        int n = 0;
        lock.lock();
        try {
            for (Delegation d : List.copyOf(byStateId.values())) {
                if (which.test(d) && revokeLocked(d, why)) {
                    n++;
                }
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    // outside the lock: only queues
    private void queueRecall(Delegation d, CallbackService callbacks) {
        CallbackChannel ch = callbacks.channel(new ClientId(d.clientId()));
        if (ch == null) {
            recallOutcome(d, false, false);
            log.warn("no callback channel to recall {}; sent again over a new back channel, revoked after a lease"
                    + " unless returned", d);
            return;
        }
        recallOutcome(d, false, true); // before submit: the run may finish before submit returns
        CallbackChannel.Submitted s = ch.submit(new RecallCallback(d, this));
        if (s != CallbackChannel.Submitted.QUEUED) {
            recallOutcome(d, false, false);
            log.warn("CB_RECALL of {} not queued ({}); revoked after a lease unless returned", d, s);
        }
    }

    /**
     * Where a delegation's CB_RECALL stands: {@code answered} (the client replied, it has the
     * recall) forgets it; else {@code queued} says whether one is on its way now.
     */
    void recallOutcome(Delegation d, boolean answered, boolean queued) {
        lock.lock();
        try {
            if (answered || d.state() != Delegation.State.RECALLING || byStateId.get(d.stateId().key()) != d) {
                recallsUnanswered.remove(d);
            } else {
                recallsUnanswered.put(d, queued);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client has a new back channel (CREATE_SESSION or BIND_CONN_TO_SESSION for the back
     * direction): every recall of its delegations that failed or could not be queued is sent
     * again over it (RFC 8881 §20.7, §2.10.13), rather than left to revocation. Recalls queued or
     * in flight are not doubled. The lease's worth of time still counts from the first recall.
     *
     * @return how many CB_RECALLs were queued again
     */
    public int resendUnansweredRecalls(long clientId, CallbackService callbacks) {
        List<Delegation> again = new ArrayList<>();
        lock.lock();
        try {
            for (Delegation d : byClient.getOrDefault(clientId, Set.of())) {
                if (d.state() == Delegation.State.RECALLING && Boolean.FALSE.equals(recallsUnanswered.get(d))) {
                    again.add(d);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Delegation d : again) {
            log.info("CB_RECALL of {} sent again over the client's new back channel", d);
            queueRecall(d, callbacks);
        }
        return again.size();
    }

    /**
     * The laundromat's sweep: revokes every recall unanswered for a lease (counted), and forgets
     * recalls and conflicts older than the cooldown. Returns how many were revoked.
     */
    public int revokeExpiredRecalls() {
        int n = 0;
        lock.lock();
        try {
            Instant now = clock.instant();
            lastRecall.values().removeIf(t -> !now.isBefore(t.plus(recallCooldown)));
            lastConflict.values().removeIf(c -> !now.isBefore(c.at().plus(recallCooldown)));
            for (Delegation d : List.copyOf(byStateId.values())) {
                if (d.state() == Delegation.State.RECALLING && recallExpired(d, now)) {
                    revokeLocked(d);
                    n++;
                }
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    private boolean recallExpired(Delegation d, Instant now) {
        return !now.isBefore(d.recallStartedAt().plus(leaseTime));
    }

    @GuardedBy("lock")
    private void revokeLocked(Delegation d) {
        revokeLocked(d, "recall unanswered for " + leaseTime);
    }

    @GuardedBy("lock")
    private void addLive(Delegation d) {
        live++;
        if (d.type() == Delegation.Type.WRITE) {
            liveWrites++;
        }
    }

    /** {@code d} has just left the live delegations. */
    @GuardedBy("lock")
    private void dropLive(Delegation d) {
        live--;
        if (d.type() == Delegation.Type.WRITE) {
            liveWrites--;
        }
    }

    @GuardedBy("lock")
    private boolean revokeLocked(Delegation d, String why) {
        if (d.revoke()) {
            recallsUnanswered.remove(d);
            removeFromFile(d);
            dropLive(d);
            counters.increment(ServerEvent.DELEGATION_REVOKED);
            log.info("revoked {}: {}", d, why);
            return true;
        }
        return false;
    }

    /** A CB_RECALL went out ({@link RecallCallback#sent}). */
    void recallSent() {
        counters.increment(ServerEvent.CB_RECALL_SENT);
    }

    /**
     * The holder answered the CB_RECALL of {@code d} with an error other than NFS4ERR_DELAY (it does
     * not know the delegation, or refuses): it will not return it, so waiting for the lease would
     * only hold up the conflicting request. Revokes {@code d} now if it is still being recalled.
     *
     * @return whether this call revoked it
     */
    boolean recallRefused(Delegation d, NfsStatus status) {
        lock.lock();
        try {
            return d.state() == Delegation.State.RECALLING && byStateId.get(d.stateId().key()) == d
                    && revokeLocked(d, "CB_RECALL answered " + status);
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void removeFromFile(Delegation d) {
        Set<Delegation> s = byFile.get(d.file());
        if (s != null && s.remove(d) && s.isEmpty()) {
            byFile.remove(d.file());
        }
    }

    @GuardedBy("lock")
    private void forget(Delegation d) {
        recallsUnanswered.remove(d);
        byStateId.remove(d.stateId().key());
        Set<Delegation> s = byClient.get(d.clientId());
        if (s != null && s.remove(d) && s.isEmpty()) {
            byClient.remove(d.clientId());
        }
    }

    /**
     * DELEGRETURN of {@code stateId} by {@code clientId} with {@code file} as the current
     * filehandle (RFC 8881 §18.6): another file's delegation is NFS4ERR_BAD_STATEID.
     */
    public NfsStatus delegReturn(long clientId, FileHandle file, StateId stateId) {
        lock.lock();
        try {
            NfsStatus st = validate(clientId, stateId);
            if (!st.isOk()) {
                return st;
            }
            Delegation d = byStateId.get(stateId.key());
            if (!d.file().equals(file)) {
                return NfsStatus.NFS4ERR_BAD_STATEID;
            }
            if (d.returned()) {
                removeFromFile(d);
                forget(d);
                dropLive(d);
            }
            return NfsStatus.NFS4_OK;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For I/O through a delegation stateid ({@code StateService.resolveIo}): the live delegation of
     * {@code clientId} that {@code stateId} names, whatever its seqid. Without the table's lock: one
     * lookup in a concurrent map by the stateid's value key, and the delegation's own atomic state.
     *
     * @throws NfsException NFS4ERR_DELEG_REVOKED for the client's revoked, not yet freed delegation
     *     (RFC 8881 §8.2.4: kept until FREE_STATEID, and said so), NFS4ERR_BAD_STATEID otherwise
     */
    public Delegation forIo(long clientId, StateId stateId) throws org.jnfsd.core.NfsException {
        Delegation d = byStateId.get(stateId.key());
        if (d != null && d.clientId() == clientId && d.isLive()) {
            return d;
        }
        // validate reads only the concurrent map and the delegation's atomic state: no lock needed
        if (validate(clientId, stateId) == NfsStatus.NFS4ERR_DELEG_REVOKED) {
            throw new org.jnfsd.core.NfsException(NfsStatus.NFS4ERR_DELEG_REVOKED,
                    "I/O through revoked delegation " + stateId);
        }
        throw new org.jnfsd.core.NfsException(NfsStatus.NFS4ERR_BAD_STATEID,
                "no delegation " + stateId + " of client " + Long.toHexString(clientId));
    }

    /** The live delegation {@code stateId} names, or null when it names none of {@code clientId}'s. */
    public Delegation find(long clientId, StateId stateId) {
        lock.lock();
        try {
            Delegation d = byStateId.get(stateId.key());
            return d != null && d.clientId() == clientId && d.isLive() ? d : null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code clientId} has revoked delegations not yet freed (RECALLABLE_STATE_REVOKED). */
    public boolean hasRevoked(long clientId) {
        lock.lock();
        try {
            for (Delegation d : byClient.getOrDefault(clientId, Set.of())) {
                if (d.state() == Delegation.State.REVOKED) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** One delegation as the administrator sees it. */
    public record DelegationView(StateId stateId, FileHandle file, Delegation.Type type, Delegation.State state,
            Instant recallStartedAt) {}

    /** The live delegations of a client ({@code jnfsd states}), read under the table's lock. */
    public List<DelegationView> ofClient(long clientId) {
        lock.lock();
        try {
            List<DelegationView> out = new ArrayList<>();
            for (Delegation d : byClient.getOrDefault(clientId, Set.of())) {
                if (d.isLive()) {
                    out.add(new DelegationView(d.stateId(), d.file(), d.type(), d.state(), d.recallStartedAt()));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** How many live delegations each client holds (clients holding none are absent); a snapshot. */
    public Map<Long, Integer> liveByClient() {
        lock.lock();
        try {
            Map<Long, Integer> out = new HashMap<>();
            byClient.forEach((client, ds) -> {
                int n = (int) ds.stream().filter(Delegation::isLive).count();
                if (n > 0) {
                    out.put(client, n);
                }
            });
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The most live delegations at once (0: granting is off). */
    public int limit() {
        return limit;
    }

    /** Live delegations, server-wide. */
    public int liveCount() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    /** Reads only {@link #byStateId} and the delegation's atomic state: no lock needed. */
    private NfsStatus validate(long clientId, StateId stateId) {
        Delegation d = byStateId.get(stateId.key());
        if (d == null || d.clientId() != clientId) {
            return NfsStatus.NFS4ERR_BAD_STATEID;
        }
        if (stateId.seqid() != 0 && stateId.seqid() != d.stateId().seqid()) {
            return stateId.seqid() < d.stateId().seqid() ? NfsStatus.NFS4ERR_OLD_STATEID : NfsStatus.NFS4ERR_BAD_STATEID;
        }
        return d.state() == Delegation.State.REVOKED ? NfsStatus.NFS4ERR_DELEG_REVOKED : NfsStatus.NFS4_OK;
    }

    @Override
    public StateKind kind() {
        return StateKind.DELEGATION;
    }

    @Override
    public NfsStatus test(long clientId, StateId stateId) {
        lock.lock();
        try {
            return validate(clientId, stateId);
        } finally {
            lock.unlock();
        }
    }

    /** FREE_STATEID: frees a revoked delegation; a live one is NFS4ERR_LOCKS_HELD (DELEGRETURN it). */
    @Override
    public NfsStatus free(long clientId, StateId stateId) {
        lock.lock();
        try {
            NfsStatus st = validate(clientId, stateId);
            if (st == NfsStatus.NFS4ERR_DELEG_REVOKED) {
                forget(byStateId.get(stateId.key()));
                return NfsStatus.NFS4_OK;
            }
            return st.isOk() ? NfsStatus.NFS4ERR_LOCKS_HELD : st;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.REVOKE_DELEGATIONS;
    }

    /** Teardown: revokes and forgets every delegation of {@code clientId}. Idempotent. */
    @Override
    public void releaseClient(long clientId) {
        lock.lock();
        try {
            for (Delegation d : List.copyOf(byClient.getOrDefault(clientId, Set.of()))) {
                if (d.revoke()) {
                    removeFromFile(d);
                    dropLive(d);
                }
                forget(d);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasState(long clientId) {
        lock.lock();
        try {
            return byClient.containsKey(clientId);
        } finally {
            lock.unlock();
        }
    }
}

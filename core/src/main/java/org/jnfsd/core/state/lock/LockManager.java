package org.jnfsd.core.state.lock;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.OrderedLock;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.StateIdKindTable;
import org.jnfsd.core.state.StateKind;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-range locks (RFC 8881 §9, §18.10-18.12): per file, the POSIX locks of every lock owner
 * ({@link LockList}) and a FIFO of waiters queued by blocking lock types; per client, its lock
 * stateids ({@link LockState}, one per lock owner and file), allocated by the server's
 * {@link StateIdAllocator} with the {@link StateKind#LOCK} tag, so TEST_STATEID and FREE_STATEID
 * reach them through {@code StateIdRegistry} like any other kind.
 *
 * <p>Fairness. A READW_LT/WRITEW_LT that is denied queues its owner for that range, with a
 * reservation that lasts one waiter window (the lease) from its last attempt. A LOCK that conflicts
 * with the reservation of a waiter queued before it (or with any waiter, for an owner not queued)
 * is denied, so a waiter that polls again after the range frees gets it before a newcomer. Expired
 * reservations are dropped by {@link #reapExpiredWaiters} (the laundromat) and, lazily, by every LOCK
 * of the file. A waiter that becomes grantable (LOCKU, a downgrade, a client's release, an expired
 * reservation ahead of it) is handed to the {@link LockWaiterListener} once per denial: that sends
 * CB_NOTIFY_LOCK ({@link LockNotifier}), and the client retries its LOCK.
 *
 * <p>Concurrency. Two kinds of table, each with its own lock, as in {@link OpenStates}:
 * <ul>
 *   <li>{@link FileLocks}, one per file with locks or waiters, in {@link #files}; its {@code lock}
 *       guards the file's lock list and waiters.
 *   <li>{@link ClientLocks}, one per client, in {@link #clients}; its {@code lock} guards its
 *       stateid table and every mutable field of its {@link LockState}s.
 * </ul>
 * Lock order: a file's lock, then a client's lock, then OpenStates' locks (through
 * {@code opens.validate/closeLocksChecked}); never two files' locks. Checked under assertions by
 * {@link OrderedLock} (ranks LOCK_FILE, LOCK_CLIENT, then OPEN_FILE, OPEN_CLIENT). Hooks ({@link ConflictingClients},
 * {@link LockWaiterListener}) are called with no lock held.
 */
public final class LockManager implements StateIdKindTable {
    private static final Logger log = LoggerFactory.getLogger(LockManager.class);
    /** At most this many conflicting clients are asked to expire for one request. */
    private static final int MAX_EXPIRE_ROUNDS = 16;

    private final OpenStates opens;
    private final StateIdAllocator ids;
    private final Clock clock;
    private final Duration waiterWindow;
    private final ConflictingClients conflictingClients;
    private final ReclaimPolicy reclaimPolicy;
    private final LockWaiterListener waiterListener;
    private final ConcurrentMap<FileHandle, FileLocks> files = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, ClientLocks> clients = new ConcurrentHashMap<>();

    /** With the default hooks: no courtesy clients, no grace, no lock notifications. */
    public LockManager(OpenStates opens, StateIdAllocator ids, Clock clock, Duration waiterWindow) {
        this(opens, ids, clock, waiterWindow, ConflictingClients.NEVER, ReclaimPolicy.NO_GRACE,
                LockWaiterListener.NONE);
    }

    /**
     * @param ids the server's stateid allocator, the one {@code opens} uses
     * @param waiterWindow how long a blocking waiter's reservation lasts after its last attempt
     */
    public LockManager(OpenStates opens, StateIdAllocator ids, Clock clock, Duration waiterWindow,
            ConflictingClients conflictingClients, ReclaimPolicy reclaimPolicy, LockWaiterListener waiterListener) {
        this.opens = opens;
        this.ids = ids;
        this.clock = clock;
        this.waiterWindow = waiterWindow;
        this.conflictingClients = conflictingClients;
        this.reclaimPolicy = reclaimPolicy;
        this.waiterListener = waiterListener;
    }

    /**
     * LOCK by a lock owner new to this file: {@code openStateId} must be an open of this client on
     * {@code file} with the access the lock type needs (READ for read locks, WRITE for write locks:
     * NFS4ERR_OPENMODE). When the owner already has a lock stateid for the file, that one is used.
     *
     * @param owner its client id must be {@code clientId} (LOCK replaces it by the session's)
     */
    public LockOutcome lockNewOwner(long clientId, FileHandle file, StateId openStateId, OpenOwner owner,
            boolean write, boolean blocking, boolean reclaim, LockRange range) throws NfsException {
        if (owner.clientId() != clientId) {
            throw new IllegalArgumentException("lock owner of another client: " + owner);
        }
        OpenShare open = opens.validate(clientId, openStateId, file);
        checkMode(open, write);
        reclaimPolicy.checkLock(clientId, reclaim);
        return lock(clientId, file, owner, null, open.stateId(), write, blocking, range);
    }

    /** LOCK by an owner that has a lock stateid for this file. */
    public LockOutcome lockExisting(long clientId, FileHandle file, StateId lockStateId, boolean write,
            boolean blocking, boolean reclaim, LockRange range) throws NfsException {
        LockState s = find(clientId, lockStateId);
        synchronizedCheck(clientId, s, lockStateId, file);
        OpenShare open = opens.validate(clientId, s.openStateId, file);
        checkMode(open, write);
        reclaimPolicy.checkLock(clientId, reclaim);
        return lock(clientId, file, s.owner, s, s.openStateId, write, blocking, range);
    }

    /** LOCKT: the first lock of another owner in the way, or empty. */
    public Optional<LockOutcome.Denied> test(long clientId, FileHandle file, OpenOwner owner, boolean write,
            LockRange range) {
        Set<Long> tried = new HashSet<>();
        while (true) {
            FileLocks f = files.get(file);
            if (f == null) {
                return Optional.empty();
            }
            LockList.Segment<OpenOwner> c;
            f.lock.lock();
            try {
                c = f.list.conflict(owner, range, write);
            } finally {
                f.lock.unlock();
            }
            if (c == null) {
                return Optional.empty();
            }
            long other = c.owner().clientId();
            if (other == clientId || tried.size() >= MAX_EXPIRE_ROUNDS || !tried.add(other)
                    || !conflictingClients.tryExpire(other)) {
                return Optional.of(new LockOutcome.Denied(c.owner(), c.range(), c.write()));
            }
        }
    }

    /** LOCKU: removes the owner's locks in the range (splitting as needed); the stateid's seqid + 1. */
    public StateId unlock(long clientId, FileHandle file, StateId lockStateId, LockRange range) throws NfsException {
        LockState s = find(clientId, lockStateId);
        synchronizedCheck(clientId, s, lockStateId, file);
        ClientLocks c = clientLocks(clientId);
        List<OpenOwner> eligible;
        StateId result;
        FileLocks f = lockFile(file);
        try {
            c.lock.lock();
            try {
                checkCurrent(s, lockStateId, file);
                f.list.unlock(s.owner, range);
                s.holding = f.list.holds(s.owner);
                s.bumpSeqid();
                result = s.stateId();
            } finally {
                c.lock.unlock();
            }
            eligible = eligibleWaitersLocked(f);
            removeIfUnusedLocked(f);
        } finally {
            f.lock.unlock();
        }
        notifyEligible(eligible, file);
        return result;
    }

    /**
     * For READ and WRITE with a lock stateid: null when {@code stateId} was not issued as a lock
     * stateid here (the caller then treats it as an open stateid); otherwise validates it against the
     * file (a freed one, or another client's, is BAD_STATEID) and returns its open stateid (seqid 0).
     */
    public StateId openStateIdOf(long clientId, StateId stateId, FileHandle file) throws NfsException {
        if (!isLockStateId(stateId)) {
            return null;
        }
        LockState s = find(clientId, stateId);
        synchronizedCheck(clientId, s, stateId, file);
        return s.openStateId;
    }

    @Override
    public StateKind kind() {
        return StateKind.LOCK;
    }

    /**
     * TEST_STATEID of a lock stateid issued here ({@code StateIdRegistry} routes it): OK, BAD or
     * OLD_STATEID.
     */
    @Override
    public NfsStatus test(long clientId, StateId stateId) {
        LockState s = lookup(clientId, stateId);
        if (s == null) {
            return NfsStatus.NFS4ERR_BAD_STATEID;
        }
        try {
            synchronizedCheck(clientId, s, stateId, null);
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    /**
     * FREE_STATEID of a lock stateid issued here: NFS4ERR_LOCKS_HELD while it holds locks; otherwise
     * frees it (OK) or gives its validation error.
     */
    @Override
    public NfsStatus free(long clientId, StateId stateId) {
        LockState s = lookup(clientId, stateId);
        ClientLocks c = clients.get(clientId);
        if (s == null || c == null) {
            return NfsStatus.NFS4ERR_BAD_STATEID;
        }
        c.lock.lock();
        try {
            checkCurrent(s, stateId, null);
            if (s.holding) {
                return NfsStatus.NFS4ERR_LOCKS_HELD;
            }
            c.removeLocked(s);
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        } finally {
            c.lock.unlock();
        }
    }

    /** Whether any lock stateid opened through {@code openStateId} holds locks. */
    public boolean hasLocks(long clientId, StateId openStateId) {
        ClientLocks c = clients.get(clientId);
        if (c == null) {
            return false;
        }
        StateId.Key open = openStateId.key();
        c.lock.lock();
        try {
            return c.states.values().stream().anyMatch(s -> s.holding && s.openStateId.key().equals(open));
        } finally {
            c.lock.unlock();
        }
    }

    /**
     * CLOSE in one pass: NFS4ERR_LOCKS_HELD while a lock stateid of this open holds locks; otherwise
     * closes the open ({@link OpenStates#closeLocksChecked}) and frees its lock stateids, atomically
     * with respect to LOCK (both run under the client's lock, which LOCK's grant holds while it
     * re-validates the open). The client's lock is always taken first, then the open table's locks:
     * the order of {@link OrderedLock.Rank}, for every caller (CLOSE, and OPEN undoing an open whose
     * truncation failed). A client without opens gets the open table's error without an entry
     * being created here; one with opens gets its (empty) entry, which its release removes.
     */
    public void closeOpen(long clientId, StateId openStateId, FileHandle file) throws NfsException {
        if (isLockStateId(openStateId)) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "CLOSE of lock stateid " + openStateId);
        }
        ClientLocks c = clients.get(clientId);
        if (c == null) {
            if (!opens.hasState(clientId)) {
                // no open at all: the open table's answer (BAD_ or STALE_STATEID), and no entry here
                opens.closeLocksChecked(clientId, openStateId, file);
                return;
            }
            c = clientLocks(clientId);
        }
        StateId.Key open = openStateId.key();
        c.lock.lock();
        try {
            List<LockState> ofOpen = new ArrayList<>();
            for (LockState s : c.states.values()) {
                if (s.openStateId.key().equals(open)) {
                    if (s.holding) {
                        throw new NfsException(NfsStatus.NFS4ERR_LOCKS_HELD, "CLOSE of " + openStateId + " while "
                                + s + " holds locks");
                    }
                    ofOpen.add(s);
                }
            }
            opens.closeLocksChecked(clientId, openStateId, file);
            ofOpen.forEach(c::removeLocked);
        } finally {
            c.lock.unlock();
        }
    }

    /**
     * Drops every lock, lock stateid and waiter of {@code clientId} (DESTROY_CLIENTID, expiry). Call
     * it after {@link OpenStates#releaseClient}: a LOCK racing with the release then fails its open
     * check under the client's lock (BAD_STATEID) instead of granting into a fresh table; one that
     * got in before sees this table RELEASED (NFS4ERR_STALE_CLIENTID) or is undone here.
     */
    public void releaseClient(long clientId) {
        ClientLocks c = clients.remove(clientId);
        if (c == null) {
            return;
        }
        Set<FileHandle> touched = new HashSet<>();
        c.lock.lock();
        try {
            c.phase = ClientLocks.Phase.RELEASED;
            for (LockState s : c.states.values()) {
                s.phase = LockState.Phase.FREED;
                touched.add(s.file);
            }
            touched.addAll(c.waitFiles);
        } finally {
            c.lock.unlock();
        }
        for (FileHandle file : touched) {
            FileLocks f = files.get(file);
            if (f == null) {
                continue;
            }
            List<OpenOwner> eligible;
            f.lock.lock();
            try {
                f.list.unlockAll(o -> o.clientId() == clientId);
                f.waiters.removeIf(w -> w.owner.clientId() == clientId);
                eligible = eligibleWaitersLocked(f);
                removeIfUnusedLocked(f);
            } finally {
                f.lock.unlock();
            }
            notifyEligible(eligible, file);
        }
        log.debug("released the locks of client {} on {} files", Long.toHexString(clientId), touched.size());
    }

    /** Drops the waiters whose reservation ended at or before {@code now} (the laundromat's call). */
    public void reapExpiredWaiters(Instant now) {
        for (FileLocks f : files.values()) {
            List<OpenOwner> eligible;
            f.lock.lock();
            try {
                if (f.phase != FileLocks.Phase.ACTIVE || !reapLocked(f, now)) {
                    continue;
                }
                eligible = eligibleWaitersLocked(f);
                removeIfUnusedLocked(f);
            } finally {
                f.lock.unlock();
            }
            notifyEligible(eligible, f.handle);
        }
    }

    /** One lock stateid as the administrator sees it: its owner's byte ranges on the file. */
    public record LockView(StateId stateId, OpenOwner owner, FileHandle file, List<HeldRange> ranges) {}

    /** A range a lock owner holds. */
    public record HeldRange(LockRange range, boolean write) {}

    /**
     * The lock stateids of a client and the ranges each holds ({@code jnfsd states}): a snapshot.
     * The client's table is copied under its lock, then each file's list is read under the file's
     * lock alone, so the declared order (file, then client) is never reversed.
     */
    public List<LockView> locksOf(long clientId) {
        ClientLocks c = clients.get(clientId);
        if (c == null) {
            return List.of();
        }
        List<LockState> states;
        c.lock.lock();
        try {
            states = new ArrayList<>(c.states.values());
        } finally {
            c.lock.unlock();
        }
        List<LockView> out = new ArrayList<>(states.size());
        for (LockState s : states) {
            List<HeldRange> ranges = new ArrayList<>();
            StateId id;
            FileLocks f = files.get(s.file);
            if (f != null) {
                f.lock.lock();
                try {
                    if (s.phase == LockState.Phase.FREED) {
                        continue;
                    }
                    id = s.stateId();
                    for (LockList.Segment<OpenOwner> seg : f.list.segmentsOf(s.owner)) {
                        ranges.add(new HeldRange(seg.range(), seg.write()));
                    }
                } finally {
                    f.lock.unlock();
                }
            } else {
                id = s.stateId();
            }
            out.add(new LockView(id, s.owner, s.file, List.copyOf(ranges)));
        }
        return out;
    }

    /** The number of lock stateids of a client. */
    public int lockStateCount(long clientId) {
        ClientLocks c = clients.get(clientId);
        if (c == null) {
            return 0;
        }
        c.lock.lock();
        try {
            return c.states.size();
        } finally {
            c.lock.unlock();
        }
    }

    /** The number of queued waiters on a file. */
    public int waiterCount(FileHandle file) {
        FileLocks f = files.get(file);
        if (f == null) {
            return 0;
        }
        f.lock.lock();
        try {
            return f.waiters.size();
        } finally {
            f.lock.unlock();
        }
    }

    /** Queued waiters over all files (a gauge: a moment's sum, not atomic across files). */
    public int waiterTotal() {
        int n = 0;
        for (FileLocks f : files.values()) {
            f.lock.lock();
            try {
                n += f.waiters.size();
            } finally {
                f.lock.unlock();
            }
        }
        return n;
    }

    /**
     * Whether {@code owner} is queued on {@code file} with a reservation that has not ended: a
     * CB_NOTIFY_LOCK about to be sent checks that the waiter still wants it.
     */
    public boolean isWaiting(OpenOwner owner, FileHandle file) {
        FileLocks f = files.get(file);
        if (f == null) {
            return false;
        }
        Instant now = clock.instant();
        f.lock.lock();
        try {
            for (Waiter w : f.waiters) {
                if (w.owner.equals(owner)) {
                    return now.isBefore(w.deadline);
                }
            }
            return false;
        } finally {
            f.lock.unlock();
        }
    }

    /** Whether any lock or waiter remains on {@code file}. */
    public boolean isTracked(FileHandle file) {
        return files.containsKey(file);
    }

    // ---------------------------------------------------------------------------------------

    private static void checkMode(OpenShare open, boolean write) throws NfsException {
        int need = write ? ShareAccess.ACCESS_WRITE : ShareAccess.ACCESS_READ;
        if ((open.access() & need) == 0) {
            throw new NfsException(NfsStatus.NFS4ERR_OPENMODE, (write ? "write" : "read") + " lock through " + open);
        }
    }

    /**
     * The common path of LOCK: conflicts with held locks (asking {@link ConflictingClients} to
     * expire their client, then retrying), then with earlier waiters' reservations; otherwise grants.
     *
     * @param existing the lock state named by the request, or null for a new lock owner
     */
    private LockOutcome lock(long clientId, FileHandle file, OpenOwner owner, LockState existing, StateId openStateId,
            boolean write, boolean blocking, LockRange range) throws NfsException {
        Set<Long> tried = new HashSet<>();
        while (true) {
            Long expire = null;
            LockOutcome outcome = null;
            List<OpenOwner> eligible = List.of();
            FileLocks f = lockFile(file);
            try {
                Instant now = clock.instant();
                reapLocked(f, now);
                LockList.Segment<OpenOwner> held = f.list.conflict(owner, range, write);
                if (held != null) {
                    long other = held.owner().clientId();
                    if (other != clientId && tried.size() < MAX_EXPIRE_ROUNDS && tried.add(other)) {
                        expire = other;
                    } else {
                        queueIfBlockingLocked(f, clientId, owner, range, write, blocking, now);
                        outcome = new LockOutcome.Denied(held.owner(), held.range(), held.write());
                    }
                } else {
                    Waiter ahead = waiterAheadLocked(f, owner, range, write);
                    if (ahead != null) {
                        queueIfBlockingLocked(f, clientId, owner, range, write, blocking, now);
                        outcome = new LockOutcome.Denied(ahead.owner, ahead.range, ahead.write);
                    } else {
                        outcome = grantLocked(f, clientId, owner, existing, openStateId, write, range);
                    }
                }
                // the lazy reap above, or a downgrade by this owner, may have let a waiter through
                eligible = eligibleWaitersLocked(f);
            } finally {
                try { // nested so that the GuardedBy checker sees f.lock held here
                    removeIfUnusedLocked(f);
                } finally {
                    f.lock.unlock();
                }
            }
            notifyEligible(eligible, file);
            if (outcome != null) {
                return outcome;
            }
            // outside every lock: ask for the courtesy client holding the conflicting lock to go
            if (!conflictingClients.tryExpire(expire)) {
                log.debug("client {} holding a conflicting lock on {} was not expired", Long.toHexString(expire), file);
            }
        }
    }

    /** Under the file's lock: records the lock, creating or reusing the owner's lock stateid. */
    @GuardedBy("f.lock")
    private LockOutcome grantLocked(FileLocks f, long clientId, OpenOwner owner, LockState existing,
            StateId openStateId, boolean write, LockRange range) throws NfsException {
        ClientLocks c = clientLocks(clientId);
        c.lock.lock();
        try {
            if (c.phase != ClientLocks.Phase.ACTIVE) {
                throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID,
                        "client " + Long.toHexString(clientId) + " is being released");
            }
            // the open may have been closed or released since it was validated: CLOSE runs under this
            // lock, and client release drops the opens before the locks
            opens.validate(clientId, openStateId.withSeqid(0), f.handle);
            LockState s;
            if (existing != null) {
                if (existing.phase != LockState.Phase.LIVE) {
                    throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, existing + " was freed");
                }
                s = existing;
                s.bumpSeqid();
            } else {
                s = c.byOwner.get(new OwnerFile(owner, f.handle));
                if (s == null) {
                    s = new LockState(ids.newOther(StateKind.LOCK), owner, f.handle, openStateId);
                    c.addLocked(s);
                } else {
                    s.bumpSeqid();
                }
            }
            f.list.lock(owner, range, write);
            s.holding = true;
            f.waiters.removeIf(w -> w.owner.equals(owner));
            return new LockOutcome.Granted(s.stateId());
        } finally {
            c.lock.unlock();
        }
    }

    /** The first waiter queued before {@code owner} (all of them, if it is not queued) that conflicts. */
    @GuardedBy("f.lock")
    private static Waiter waiterAheadLocked(FileLocks f, OpenOwner owner, LockRange range, boolean write) {
        for (Waiter w : f.waiters) {
            if (w.owner.equals(owner)) {
                return null;
            }
            if ((write || w.write) && w.range.overlaps(range)) {
                return w;
            }
        }
        return null;
    }

    /** A blocking request that was denied: queue the owner, or renew its place and range. */
    @GuardedBy("f.lock")
    private void queueIfBlockingLocked(FileLocks f, long clientId, OpenOwner owner, LockRange range, boolean write,
            boolean blocking, Instant now) throws NfsException {
        if (!blocking) {
            return;
        }
        Instant deadline = now.plus(waiterWindow);
        for (Waiter w : f.waiters) {
            if (w.owner.equals(owner)) {
                w.range = range;
                w.write = write;
                w.deadline = deadline;
                w.notified = false; // denied again: tell it again when the range frees
                return;
            }
        }
        ClientLocks c = clientLocks(clientId);
        c.lock.lock();
        try {
            if (c.phase != ClientLocks.Phase.ACTIVE) {
                throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID,
                        "client " + Long.toHexString(clientId) + " is being released");
            }
            c.waitFiles.add(f.handle);
        } finally {
            c.lock.unlock();
        }
        f.waiters.add(new Waiter(owner, range, write, deadline));
    }

    /** Under the file's lock: drops expired waiters; returns whether any went. */
    @GuardedBy("f.lock")
    private static boolean reapLocked(FileLocks f, Instant now) {
        boolean any = false;
        for (Iterator<Waiter> it = f.waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!now.isBefore(w.deadline)) {
                log.debug("reservation of {} on {} expired", w.owner, f.handle);
                it.remove();
                any = true;
            }
        }
        return any;
    }

    /**
     * Under the file's lock: the waiters that would be granted if they asked now and have not been
     * told since their last denial; marks them told. Once grantable, a waiter stays so until it takes
     * the lock or its reservation ends (everyone else conflicting with it is denied), so one
     * notification per denial is enough.
     */
    @GuardedBy("f.lock")
    private static List<OpenOwner> eligibleWaitersLocked(FileLocks f) {
        List<OpenOwner> eligible = new ArrayList<>();
        for (Waiter w : f.waiters) {
            if (!w.notified && f.list.conflict(w.owner, w.range, w.write) == null
                    && waiterAheadLocked(f, w.owner, w.range, w.write) == null) {
                w.notified = true;
                eligible.add(w.owner);
            }
        }
        return eligible;
    }

    private void notifyEligible(List<OpenOwner> eligible, FileHandle file) {
        for (OpenOwner o : eligible) {
            waiterListener.eligible(o, file);
        }
    }

    /**
     * The file's state, locked; created when absent. The caller unlocks it in a finally block (which
     * is where the GuardedBy checker sees the lock held).
     */
    @SuppressWarnings("GuardedBy") // reads phase just after taking the lock; the checker sees only try/finally holds
    private FileLocks lockFile(FileHandle file) {
        while (true) {
            FileLocks f = files.computeIfAbsent(file, FileLocks::new);
            f.lock.lock();
            if (f.phase == FileLocks.Phase.ACTIVE) {
                return f;
            }
            // removed between the lookup and the lock: its replacement is (or will be) in the map
            f.lock.unlock();
        }
    }

    /** Under the file's lock: unhashes it when it has neither locks nor waiters. */
    @GuardedBy("f.lock")
    private void removeIfUnusedLocked(FileLocks f) {
        if (f.phase == FileLocks.Phase.ACTIVE && f.list.isEmpty() && f.waiters.isEmpty()) {
            f.phase = FileLocks.Phase.REMOVED;
            files.remove(f.handle, f);
        }
    }

    /** Whether this table holds an entry (lock states or an empty one) for {@code clientId}; for tests. */
    boolean tracks(long clientId) {
        return clients.containsKey(clientId);
    }

    private ClientLocks clientLocks(long clientId) {
        return clients.computeIfAbsent(clientId, ClientLocks::new);
    }

    /**
     * Whether this instance issued {@code stateId} as a lock stateid (epoch and kind tag), live or
     * not: a freed or another client's one is BAD_STATEID here rather than anything from the open table.
     */
    private boolean isLockStateId(StateId stateId) {
        return ids.issuedHere(stateId) && ids.kindOf(stateId) == StateKind.LOCK;
    }

    /** The lock state a stateid names in the client's table, or null. */
    private LockState lookup(long clientId, StateId stateId) {
        if (stateId.isSpecial()) {
            return null;
        }
        ClientLocks c = clients.get(clientId);
        if (c == null) {
            return null;
        }
        c.lock.lock();
        try {
            return c.states.get(stateId.key());
        } finally {
            c.lock.unlock();
        }
    }

    /**
     * Like {@link #lookup}, but one of another server instance is STALE_STATEID (the client then
     * recovers, as for an open stateid) and anything else that is not a live lock stateid of this
     * client is BAD_STATEID.
     */
    private LockState find(long clientId, StateId stateId) throws NfsException {
        if (!stateId.isSpecial() && !ids.issuedHere(stateId)) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE_STATEID, stateId + " is from another server instance");
        }
        LockState s = lookup(clientId, stateId);
        if (s == null) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID,
                    "no lock stateid " + stateId + " for client " + Long.toHexString(clientId));
        }
        return s;
    }

    /** {@link #checkCurrent} under the client's lock. */
    private void synchronizedCheck(long clientId, LockState s, StateId stateId, FileHandle file) throws NfsException {
        ClientLocks c = clients.get(clientId);
        if (c == null) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + ": client has no locks");
        }
        c.lock.lock();
        try {
            checkCurrent(s, stateId, file);
        } finally {
            c.lock.unlock();
        }
    }

    /**
     * Under the client's lock: still live, for {@code file} (unless null), and seqid current (0
     * means current; newer than issued is BAD_STATEID, older OLD_STATEID).
     */
    private static void checkCurrent(LockState s, StateId stateId, FileHandle file) throws NfsException {
        if (s.phase != LockState.Phase.LIVE) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + " was freed");
        }
        if (file != null && !s.file.equals(file)) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + " is for " + s.file + ", not " + file);
        }
        int seqid = stateId.seqid();
        if (seqid != 0 && seqid != s.seqid) {
            boolean newer = Integer.compareUnsigned(seqid, s.seqid) > 0;
            throw new NfsException(newer ? NfsStatus.NFS4ERR_BAD_STATEID : NfsStatus.NFS4ERR_OLD_STATEID,
                    stateId + " against current seqid " + Integer.toUnsignedString(s.seqid));
        }
    }

    /** The key of a lock stateid: one per lock owner and file. */
    private record OwnerFile(OpenOwner owner, FileHandle file) {}

    /** A blocking request queued on a file. Fields guarded by the file's lock. */
    private static final class Waiter {
        final OpenOwner owner;
        LockRange range;
        boolean write;
        Instant deadline;
        /** Told (the listener was called) that it may retry, since its last denial. */
        boolean notified;

        Waiter(OpenOwner owner, LockRange range, boolean write, Instant deadline) {
            this.owner = owner;
            this.range = range;
            this.write = write;
            this.deadline = deadline;
        }
    }

    /**
     * The locks and waiters of one file. Lifecycle: ACTIVE → REMOVED, set by
     * {@link #removeIfUnusedLocked} when neither locks nor waiters remain; a REMOVED state is out of
     * {@link #files} and never used again.
     */
    private static final class FileLocks {
        enum Phase { ACTIVE, REMOVED }

        final FileHandle handle;
        final OrderedLock lock = new OrderedLock(OrderedLock.Rank.LOCK_FILE);
        @GuardedBy("lock")
        final LockList<OpenOwner> list = new LockList<>();
        /** FIFO. */
        @GuardedBy("lock")
        final List<Waiter> waiters = new ArrayList<>();
        @GuardedBy("lock")
        Phase phase = Phase.ACTIVE;

        FileLocks(FileHandle handle) {
            this.handle = handle;
        }
    }

    /**
     * The lock stateids of one client. Lifecycle: ACTIVE → RELEASED ({@link #releaseClient}); a
     * RELEASED table refuses new lock stateids and waiters. Fields guarded by {@code lock}.
     */
    private static final class ClientLocks {
        enum Phase { ACTIVE, RELEASED }

        final long clientId;
        final OrderedLock lock = new OrderedLock(OrderedLock.Rank.LOCK_CLIENT);
        @GuardedBy("lock")
        final Map<StateId.Key, LockState> states = new HashMap<>();
        @GuardedBy("lock")
        final Map<OwnerFile, LockState> byOwner = new HashMap<>();
        /** Files it queued on. */
        @GuardedBy("lock")
        final Set<FileHandle> waitFiles = new HashSet<>();
        @GuardedBy("lock")
        Phase phase = Phase.ACTIVE;

        ClientLocks(long clientId) {
            this.clientId = clientId;
        }

        @GuardedBy("lock")
        void addLocked(LockState s) {
            states.put(s.key, s);
            byOwner.put(new OwnerFile(s.owner, s.file), s);
        }

        @GuardedBy("lock")
        void removeLocked(LockState s) {
            s.phase = LockState.Phase.FREED;
            states.remove(s.key, s);
            byOwner.remove(new OwnerFile(s.owner, s.file), s);
        }
    }
}

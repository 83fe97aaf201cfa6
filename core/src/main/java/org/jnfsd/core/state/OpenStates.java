package org.jnfsd.core.state;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open state: open owners, one open stateid per (owner, file), and the share reservations of every
 * file (RFC 8881 §9.7). Used by OPEN, CLOSE, OPEN_DOWNGRADE, READ, WRITE, TEST_STATEID and
 * FREE_STATEID; client teardown calls {@link #releaseClient} (this is the {@link
 * TeardownStep#RELEASE_OPENS} hook).
 *
 * <p>Courtesy clients: an OPEN whose share reservation conflicts with another client's open asks
 * the {@link ConflictResolver}; when that client was a courtesy client its state is released and
 * the OPEN retried. Each retry follows the release of the conflicting clients' opens, so the loop
 * is bounded by the number of clients with opens on the file.
 *
 * <p>Admin revocation ({@link #revokeClient}): the client's opens lose their share reservations and
 * stay in its table as REVOKED; using one gives NFS4ERR_ADMIN_REVOKED until FREE_STATEID frees it.
 *
 * <p>Stateid {@code other}: from the server's {@link StateIdAllocator}, of kind {@link
 * StateKind#OPEN}. A stateid with another epoch was issued by another server instance:
 * NFS4ERR_STALE_STATEID; one of another kind is NFS4ERR_BAD_STATEID here.
 *
 * <p>Concurrency. Two kinds of table, each with its own lock:
 * <ul>
 *   <li>{@link FileState}, one per file with opens, found in the concurrent map {@link #files}; its
 *       {@code lock} guards the file's opens and every field of each {@link OpenState} of the file
 *       (seqid, access, deny, state). All share checks and changes of a file happen under it.
 *   <li>{@link ClientOpens}, one per client id, found in the concurrent map {@link #clients}; its
 *       {@code lock} guards its stateid table. This is the table the lease work will grow.
 * </ul>
 * Lock order: a file's lock, then a client's lock; never the reverse, and never two files' locks
 * ({@link OrderedLock.Rank}: both come after the lock table's locks, and the check runs in every
 * test). No other table is asked while these locks are held, except {@link #close}'s lock query,
 * which only callers holding no lock-table lock may use; CLOSE goes through {@code
 * LockManager.closeOpen} and {@link #closeLocksChecked}.
 * A file state leaves {@link #files} when its last open goes, under its lock, and is marked
 * REMOVED so that a thread that found it just before retries with a fresh one.
 */
public final class OpenStates implements ClientStateHook, StateIdKindTable {
    private static final Logger log = LoggerFactory.getLogger(OpenStates.class);

    private final StateIdAllocator ids;
    private final ConcurrentMap<FileHandle, FileState> files = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, ClientOpens> clients = new ConcurrentHashMap<>();
    private final AtomicLong droppedTableAccesses = new AtomicLong();
    /** Tables released by {@link #releaseOpens} and not yet dropped ({@link #dropTable}). */
    private final Map<Long, ClientOpens> releasing = new ConcurrentHashMap<>();
    private final LockQuery locks;
    private final ConflictResolver conflicts;

    /** With a random epoch and no lock table or courtesy clients (tests of other areas). */
    public OpenStates(ServerConfig config, Clock clock) {
        this(config, clock, new StateIdAllocator(), LockQuery.NONE, ConflictResolver.NONE);
    }

    /**
     * @param ids the server's stateid allocator (shared by every kind of stateid)
     * @param locks asked by CLOSE whether locks are held
     * @param conflicts asked by OPEN when another client's share reservation conflicts
     */
    public OpenStates(ServerConfig config, Clock clock, StateIdAllocator ids, LockQuery locks,
            ConflictResolver conflicts) {
        this.ids = ids;
        this.locks = locks;
        this.conflicts = conflicts;
    }

    /** With a given epoch (tests). */
    OpenStates(ServerConfig config, Clock clock, int epoch) {
        this(config, clock, new StateIdAllocator(epoch), LockQuery.NONE, ConflictResolver.NONE);
    }

    OpenStates(ServerConfig config, Clock clock, int epoch, LockQuery locks, ConflictResolver conflicts) {
        this(config, clock, new StateIdAllocator(epoch), locks, conflicts);
    }

    /**
     * Opens {@code file} for {@code owner}: a new open (seqid 1), or, when the owner already has
     * the file open, that open upgraded to the union of access and deny (seqid + 1).
     *
     * @param owner its client id must be {@code clientId}
     * @param access ACCESS_* bits only, non-zero
     * @param deny DENY_* bits only
     * @throws NfsException NFS4ERR_SHARE_DENIED when another owner's open conflicts (after a
     *     conflicting courtesy client has been expired); NFS4ERR_DELAY when the conflicting client
     *     is expiring but still has compounds in flight
     */
    public OpenShare open(long clientId, OpenOwner owner, FileHandle file, int access, int deny) throws NfsException {
        if (owner.clientId() != clientId) {
            throw new IllegalArgumentException("open owner of client " + Long.toHexString(owner.clientId())
                    + " used by " + Long.toHexString(clientId) + "; OPEN replaces it by the session's client");
        }
        checkModes(access, deny);
        while (true) {
            List<OpenShare> conflicting = new ArrayList<>();
            Set<Long> otherClients = new HashSet<>();
            FileState f = files.computeIfAbsent(file, FileState::new);
            f.lock.lock();
            try {
                if (f.state != FileState.Phase.ACTIVE) {
                    continue; // removed between the lookup and the lock: its replacement is (or will be) in the map
                }
                for (OpenState other : f.opens.values()) {
                    if (!other.owner.equals(owner) && ((access & other.deny) != 0 || (deny & other.access) != 0)) {
                        conflicting.add(other.snapshot());
                        otherClients.add(other.client.clientId);
                    }
                }
                if (conflicting.isEmpty()) {
                    return openLocked(f, clientId, owner, access, deny);
                }
            } finally {
                f.lock.unlock();
            }
            String why = "open of " + file + " access " + access + " deny " + deny + " conflicts with " + conflicting;
            if (otherClients.contains(clientId)) {
                throw new NfsException(NfsStatus.NFS4ERR_SHARE_DENIED, why); // its own other owner: never courtesy
            }
            // outside every state lock: expiring courtesy clients releases their opens
            switch (conflicts.expireIfAllCourtesy(otherClients)) {
                case NOT_COURTESY -> throw new NfsException(NfsStatus.NFS4ERR_SHARE_DENIED, why);
                case EXPIRING -> throw new NfsException(NfsStatus.NFS4ERR_DELAY, why + ", whose clients are expiring");
                case EXPIRED -> log.debug("expired courtesy clients for the {}", why);
            }
        }
    }

    /** Under the file's lock, no conflict: a new open, or the owner's open upgraded. */
    @GuardedBy("f.lock")
    private OpenShare openLocked(FileState f, long clientId, OpenOwner owner, int access, int deny)
            throws NfsException {
        OpenState existing = f.opens.get(owner);
        if (existing != null) {
            existing.access |= access;
            existing.deny |= deny;
            existing.bumpSeqid();
            return existing.snapshot();
        }
        ClientOpens c = clientOpens(clientId);
        OpenState s = new OpenState(newOther(), c, owner, f, access, deny);
        c.add(s);
        f.opens.put(owner, s);
        return s.snapshot();
    }

    /**
     * Checks that {@code stateId} names an open of this client on {@code file} and is not old; the
     * special stateids are not open stateids (NFS4ERR_BAD_STATEID).
     *
     * @return the open, with its current seqid
     */
    public OpenShare validate(long clientId, StateId stateId, FileHandle file) throws NfsException {
        OpenState s = find(clientId, stateId);
        s.file.lock.lock();
        try {
            checkCurrent(s, stateId, file);
            return s.snapshot();
        } finally {
            s.file.lock.unlock();
        }
    }

    /**
     * CLOSE: validates as {@link #validate} does and drops the open; NFS4ERR_LOCKS_HELD while the
     * lock table says locks acquired through it are held.
     */
    public void close(long clientId, StateId stateId, FileHandle file) throws NfsException {
        close(clientId, stateId, file, true);
    }

    /**
     * CLOSE for the lock table ({@code LockManager.closeOpen}), which holds the client's lock-table
     * lock and has found no locks held through this open: validates and drops the open without
     * asking the lock table again, so this table's locks are never held while the lock table's are
     * taken (the one order, {@link OrderedLock.Rank}).
     */
    public void closeLocksChecked(long clientId, StateId stateId, FileHandle file) throws NfsException {
        close(clientId, stateId, file, false);
    }

    private void close(long clientId, StateId stateId, FileHandle file, boolean askLocks) throws NfsException {
        OpenState s = find(clientId, stateId);
        s.file.lock.lock();
        try {
            checkCurrent(s, stateId, file);
            StateId current = new StateId(s.seqid, s.other);
            if (askLocks && locks.hasLocks(clientId, current)) {
                throw new NfsException(NfsStatus.NFS4ERR_LOCKS_HELD, "CLOSE of " + s.snapshot() + " with locks held");
            }
            removeLocked(s);
        } finally {
            s.file.lock.unlock();
        }
    }

    /**
     * OPEN_DOWNGRADE: reduces the open's access and deny to a subset of what it has (NFS4ERR_INVAL
     * otherwise, or when access would become empty); seqid + 1.
     */
    public OpenShare downgrade(long clientId, StateId stateId, FileHandle file, int access, int deny)
            throws NfsException {
        checkModes(access, deny);
        OpenState s = find(clientId, stateId);
        s.file.lock.lock();
        try {
            checkCurrent(s, stateId, file);
            if ((access & ~s.access) != 0 || (deny & ~s.deny) != 0) {
                throw new NfsException(NfsStatus.NFS4ERR_INVAL, "downgrade of " + s.snapshot() + " to access "
                        + access + " deny " + deny + " is not to a subset");
            }
            s.access = access;
            s.deny = deny;
            s.bumpSeqid();
            return s.snapshot();
        } finally {
            s.file.lock.unlock();
        }
    }

    /**
     * For I/O with the anonymous or READ-bypass stateid: NFS4ERR_LOCKED when an open of the file
     * denies {@code access} (ACCESS_READ or ACCESS_WRITE), as knfsd answers.
     */
    public void checkNoDeny(FileHandle file, int access) throws NfsException {
        FileState f = files.get(file);
        if (f == null) {
            return;
        }
        f.lock.lock();
        try {
            for (OpenState s : f.opens.values()) {
                if ((s.deny & access) != 0) {
                    throw new NfsException(NfsStatus.NFS4ERR_LOCKED,
                            "special stateid I/O on " + file + " denied by " + s.snapshot());
                }
            }
        } finally {
            f.lock.unlock();
        }
    }

    /**
     * TEST_STATEID for one stateid: NFS4_OK, BAD_STATEID, OLD_STATEID or ADMIN_REVOKED (special ones
     * are BAD).
     */
    @Override
    public NfsStatus test(long clientId, StateId stateId) {
        try {
            OpenState s = find(clientId, stateId);
            s.file.lock.lock();
            try {
                checkCurrent(s, stateId, null);
            } finally {
                s.file.lock.unlock();
            }
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            // a stale stateid is simply not valid for this server: RFC 8881 §18.48.3 lists no STALE
            return e.status() == NfsStatus.NFS4ERR_STALE_STATEID ? NfsStatus.NFS4ERR_BAD_STATEID : e.status();
        }
    }

    /**
     * FREE_STATEID: an open stateid cannot be freed (it goes with CLOSE), so a valid one gives
     * NFS4ERR_LOCKS_HELD, as knfsd answers; a revoked one is freed (NFS4_OK, RFC 8881 §18.38.3);
     * an invalid one gives the validation error.
     */
    @Override
    public NfsStatus free(long clientId, StateId stateId) {
        NfsStatus st = test(clientId, stateId);
        if (st == NfsStatus.NFS4ERR_ADMIN_REVOKED) {
            try {
                OpenState s = find(clientId, stateId);
                s.file.lock.lock();
                try {
                    if (s.state != OpenState.Phase.REVOKED) {
                        return NfsStatus.NFS4ERR_BAD_STATEID; // freed concurrently
                    }
                    s.state = OpenState.Phase.CLOSED;
                    s.client.remove(s);
                    s.client.addRevoked(-1);
                } finally {
                    s.file.lock.unlock();
                }
                return NfsStatus.NFS4_OK;
            } catch (NfsException e) {
                return e.status(); // freed concurrently
            }
        }
        return st.isOk() ? NfsStatus.NFS4ERR_LOCKS_HELD : st;
    }

    /**
     * Revokes every open of {@code clientId} (an administrator's action): their share reservations
     * go at once, their stateids stay as ADMIN_REVOKED until freed.
     *
     * @return the number of opens revoked
     */
    public int revokeClient(long clientId) {
        ClientOpens c = clients.get(clientId);
        if (c == null) {
            return 0;
        }
        int n = 0;
        for (OpenState s : c.snapshot()) {
            s.file.lock.lock();
            try {
                if (s.state == OpenState.Phase.OPEN) {
                    s.state = OpenState.Phase.REVOKED;
                    unhashFromFileLocked(s);
                    c.addRevoked(1);
                    n++;
                }
            } finally {
                s.file.lock.unlock();
            }
        }
        log.info("revoked {} opens of client {}", n, Long.toHexString(clientId));
        return n;
    }

    /** Whether {@code clientId} has revoked stateids not yet freed (SEQ4_STATUS_ADMIN_STATE_REVOKED). */
    public boolean hasRevoked(long clientId) {
        ClientOpens c = clients.get(clientId);
        return c != null && c.revoked() > 0;
    }

    @Override
    public StateKind kind() {
        return StateKind.OPEN;
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.RELEASE_OPENS;
    }

    @Override
    public boolean hasState(long clientId) {
        return openCount(clientId) > 0;
    }

    /**
     * Accesses to a client table after it was dropped: each one is a bug (a late release), refused
     * with an {@link IllegalStateException}. Tests assert this stays zero.
     */
    public long droppedTableAccesses() {
        return droppedTableAccesses.get();
    }

    /**
     * Drops every open of {@code clientId} and then its table ({@link #releaseOpens} then
     * {@link #dropTable}): any later access to that table throws and is counted
     * ({@link #droppedTableAccesses}). Opens the client tries to add concurrently fail with
     * NFS4ERR_STALE_CLIENTID. Idempotent.
     */
    @Override
    public void releaseClient(long clientId) {
        releaseOpens(clientId);
        dropTable(clientId);
    }

    /**
     * The RELEASE_OPENS step of a client teardown: {@link #releaseOpens} only; the table itself is
     * dropped at DROP_TABLES ({@link #dropTable}), after the callbacks in flight are released.
     */
    @Override
    public CompletionStage<Void> release(long clientId) {
        releaseOpens(clientId);
        return CompletableFuture.completedStage(null);
    }

    /**
     * Drops every open and share reservation of {@code clientId}; its table refuses new opens
     * (NFS4ERR_STALE_CLIENTID) and waits for {@link #dropTable}. Idempotent.
     */
    public void releaseOpens(long clientId) {
        ClientOpens c = clients.remove(clientId);
        if (c == null) {
            return;
        }
        List<OpenState> states;
        c.lock.lock();
        try {
            c.state = ClientOpens.Phase.RELEASING;
            states = new ArrayList<>(c.states.values());
        } finally {
            c.lock.unlock();
        }
        releasing.put(clientId, c);
        for (OpenState s : states) {
            s.file.lock.lock();
            try {
                if (s.state == OpenState.Phase.OPEN) {
                    removeLocked(s);
                } else if (s.state == OpenState.Phase.REVOKED) {
                    s.state = OpenState.Phase.CLOSED;
                    s.client.remove(s);
                }
            } finally {
                s.file.lock.unlock();
            }
        }
        log.debug("released {} opens of client {}", states.size(), Long.toHexString(clientId));
    }

    /**
     * The DROP_TABLES step: drops the table {@link #releaseOpens} released; any later access to it
     * throws and is counted ({@link #droppedTableAccesses}). Idempotent.
     */
    public void dropTable(long clientId) {
        ClientOpens c = releasing.remove(clientId);
        if (c != null) {
            c.drop();
        }
    }

    /** The client's table, for tests of the dropped-table rule. */
    ClientOpens tableForTest(long clientId) {
        return clientOpens(clientId);
    }

    /**
     * The opens a client holds, for the administrator ({@code jnfsd states}): a snapshot, each
     * open read under its file's lock after the client's table was copied under its own (the two
     * locks are never held together here).
     */
    public List<OpenShare> sharesOf(long clientId) {
        ClientOpens c = clients.get(clientId);
        if (c == null) {
            return List.of();
        }
        List<OpenState> states;
        c.lock.lock();
        try {
            if (c.state == ClientOpens.Phase.DROPPED) {
                return List.of();
            }
            states = new ArrayList<>(c.states.values());
        } finally {
            c.lock.unlock();
        }
        List<OpenShare> out = new ArrayList<>(states.size());
        for (OpenState o : states) {
            o.file.lock.lock();
            try {
                if (o.state == OpenState.Phase.OPEN) {
                    out.add(o.snapshot());
                }
            } finally {
                o.file.lock.unlock();
            }
        }
        return out;
    }

    /** The number of opens a client holds. */
    public int openCount(long clientId) {
        ClientOpens c = clients.get(clientId);
        if (c == null) {
            return 0;
        }
        return c.size();
    }

    /**
     * Whether a client other than {@code clientId} has {@code file} open with any of the {@code
     * access} bits (ACCESS_WRITE: no read delegation then; ACCESS_BOTH: no write delegation).
     */
    public boolean openByOther(long clientId, FileHandle file, int access) {
        FileState f = files.get(file);
        if (f == null) {
            return false;
        }
        f.lock.lock();
        try {
            for (OpenState s : f.opens.values()) {
                if (s.state == OpenState.Phase.OPEN && s.owner.clientId() != clientId
                        && (s.access & access) != 0) {
                    return true;
                }
            }
            return false;
        } finally {
            f.lock.unlock();
        }
    }

    /** Whether {@code file} has any open (of any client). */
    public boolean isOpen(FileHandle file) {
        return files.containsKey(file);
    }

    // ---------------------------------------------------------------------------------------

    private static void checkModes(int access, int deny) throws NfsException {
        if (access == 0 || (access & ~ShareAccess.MODE_MASK) != 0 || (deny & ~ShareAccess.MODE_MASK) != 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "share access " + access + " deny " + deny);
        }
    }

    private ClientOpens clientOpens(long clientId) {
        return clients.computeIfAbsent(clientId, id -> new ClientOpens(id, droppedTableAccesses));
    }

    private byte[] newOther() {
        return ids.newOther(StateKind.OPEN);
    }

    /** The open a stateid names in the client's table; checks epoch and special stateids. */
    private OpenState find(long clientId, StateId stateId) throws NfsException {
        if (stateId.isSpecial()) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "special stateid " + stateId + " is no open");
        }
        if (!ids.issuedHere(stateId)) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE_STATEID, stateId + " is from another server instance");
        }
        if (ids.kindOf(stateId) != StateKind.OPEN) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + " is no open stateid");
        }
        ClientOpens c = clients.get(clientId);
        OpenState s = null;
        if (c != null) {
            s = c.get(stateId.key());
        }
        if (s == null) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID,
                    "no open " + stateId + " for client " + Long.toHexString(clientId));
        }
        return s;
    }

    /**
     * Under the file's lock: still open, for {@code file} (unless null), and seqid current (0 means
     * current in 4.1; a newer seqid than issued is BAD_STATEID, an older one OLD_STATEID).
     */
    private static void checkCurrent(OpenState s, StateId stateId, FileHandle file) throws NfsException {
        if (s.state == OpenState.Phase.REVOKED) {
            throw new NfsException(NfsStatus.NFS4ERR_ADMIN_REVOKED, stateId + " was revoked");
        }
        if (s.state != OpenState.Phase.OPEN) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + " was closed");
        }
        if (file != null && !s.file.handle.equals(file)) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + " is for " + s.file.handle + ", not " + file);
        }
        int seqid = stateId.seqid();
        if (seqid != 0 && seqid != s.seqid) {
            boolean newer = Integer.compareUnsigned(seqid, s.seqid) > 0;
            throw new NfsException(newer ? NfsStatus.NFS4ERR_BAD_STATEID : NfsStatus.NFS4ERR_OLD_STATEID,
                    stateId + " against current seqid " + Integer.toUnsignedString(s.seqid));
        }
    }

    /** Under the file's lock: drops the open from its file and its client. */
    @GuardedBy("s.file.lock")
    private void removeLocked(OpenState s) {
        s.state = OpenState.Phase.CLOSED;
        s.client.remove(s);
        unhashFromFileLocked(s);
    }

    /** Under the file's lock: drops the open's share reservation from its file. */
    @GuardedBy("s.file.lock")
    private void unhashFromFileLocked(OpenState s) {
        s.file.opens.remove(s.owner, s);
        if (s.file.opens.isEmpty()) {
            s.file.state = FileState.Phase.REMOVED;
            files.remove(s.file.handle, s.file);
        }
    }

    /**
     * The opens of one file. Lifecycle: ACTIVE → REMOVED, set by {@link #removeLocked} when the
     * last open goes; a REMOVED state is out of {@link #files} and never used again.
     */
    private static final class FileState {
        enum Phase { ACTIVE, REMOVED }

        final FileHandle handle;
        final OrderedLock lock = new OrderedLock(OrderedLock.Rank.OPEN_FILE);
        @GuardedBy("lock")
        final Map<OpenOwner, OpenState> opens = new HashMap<>();
        @GuardedBy("lock")
        Phase state = Phase.ACTIVE;

        FileState(FileHandle handle) {
            this.handle = handle;
        }
    }

    /**
     * One open. Lifecycle: OPEN → CLOSED (CLOSE or client release, {@link #removeLocked}); OPEN →
     * REVOKED ({@link #revokeClient}) → CLOSED (FREE_STATEID or client release). Every mutable
     * field is guarded by {@code file.lock}.
     */
    private static final class OpenState {
        enum Phase { OPEN, REVOKED, CLOSED }

        final byte[] other;
        final StateId.Key key;
        final ClientOpens client;
        final OpenOwner owner;
        final FileState file;
        // These four are guarded by file.lock. Not @GuardedBy: the checker cannot see that an open
        // reached through its file's map (f.opens) has file == f, so it would flag every such use.
        int seqid = 1;
        int access;
        int deny;
        Phase state = Phase.OPEN;

        OpenState(byte[] other, ClientOpens client, OpenOwner owner, FileState file, int access, int deny) {
            this.other = other;
            this.key = new StateId(0, other).key();
            this.client = client;
            this.owner = owner;
            this.file = file;
            this.access = access;
            this.deny = deny;
        }

        /** seqid + 1, skipping 0 (which means "current" in 4.1) on wrap. */
        void bumpSeqid() {
            seqid = seqid == -1 ? 1 : seqid + 1;
        }

        OpenShare snapshot() {
            return new OpenShare(new StateId(seqid, other), owner, file.handle, access, deny);
        }
    }

    /**
     * The stateids of one client.
     *
     * <pre>
     *   ACTIVE ──releaseClient──► RELEASING ──releaseClient (drop)──► DROPPED
     * </pre>
     *
     * A RELEASING table refuses new opens (NFS4ERR_STALE_CLIENTID) but lets the release remove its
     * entries; a DROPPED table refuses every access with an {@link IllegalStateException}, counted in
     * the owner's {@code droppedTableAccesses}. Fields guarded by {@code lock}.
     */
    static final class ClientOpens {
        enum Phase { ACTIVE, RELEASING, DROPPED }

        final long clientId;
        private final AtomicLong droppedAccesses;
        final OrderedLock lock = new OrderedLock(OrderedLock.Rank.OPEN_CLIENT);
        @GuardedBy("lock")
        private final Map<StateId.Key, OpenState> states = new HashMap<>();
        @GuardedBy("lock")
        Phase state = Phase.ACTIVE;
        /** REVOKED opens in states. */
        @GuardedBy("lock")
        private int revoked;

        ClientOpens(long clientId, AtomicLong droppedAccesses) {
            this.clientId = clientId;
            this.droppedAccesses = droppedAccesses;
        }

        @GuardedBy("lock")
        private void checkNotDroppedLocked(String what) {
            if (state == Phase.DROPPED) {
                droppedAccesses.incrementAndGet();
                throw new IllegalStateException(what + " on the dropped stateid table of client "
                        + Long.toHexString(clientId));
            }
        }

        /**
         * Adds a new open. An OPEN that fetched this table just before its client was released gets
         * NFS4ERR_STALE_CLIENTID whether the release is still RELEASING or already DROPPED: that is
         * a request racing teardown, not a late access to state the table held, so it is not
         * counted as a dropped-table access.
         */
        void add(OpenState s) throws NfsException {
            lock.lock();
            try {
                if (state != Phase.ACTIVE) {
                    throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID,
                            "client " + Long.toHexString(clientId) + " is being released");
                }
                states.put(s.key, s);
            } finally {
                lock.unlock();
            }
        }

        OpenState get(StateId.Key key) {
            lock.lock();
            try {
                checkNotDroppedLocked("lookup");
                return states.get(key);
            } finally {
                lock.unlock();
            }
        }

        void remove(OpenState s) {
            lock.lock();
            try {
                checkNotDroppedLocked("remove");
                states.remove(s.key, s);
            } finally {
                lock.unlock();
            }
        }

        List<OpenState> snapshot() {
            lock.lock();
            try {
                checkNotDroppedLocked("snapshot");
                return new ArrayList<>(states.values());
            } finally {
                lock.unlock();
            }
        }

        /** A query, not an access: a table dropped since it was looked up holds nothing. */
        int size() {
            lock.lock();
            try {
                return state == Phase.DROPPED ? 0 : states.size();
            } finally {
                lock.unlock();
            }
        }

        void addRevoked(int delta) {
            lock.lock();
            try {
                checkNotDroppedLocked("revoke");
                revoked += delta;
            } finally {
                lock.unlock();
            }
        }

        /** A query, not an access: a dropped table holds nothing. */
        int revoked() {
            lock.lock();
            try {
                return state == Phase.DROPPED ? 0 : revoked;
            } finally {
                lock.unlock();
            }
        }

        void drop() {
            lock.lock();
            try {
                state = Phase.DROPPED;
                states.clear();
            } finally {
                lock.unlock();
            }
        }
    }
}

package org.jnfsd.core.state.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.ConflictResolver;
import org.jnfsd.core.state.LockQuery;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.StateIdRegistry;
import org.jnfsd.core.state.StateKind;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.jnfsd.core.time.ManualClock;

class LockManagerTest {
    private static final Duration WINDOW = Duration.ofSeconds(90);
    private static final long A = 0xA;
    private static final long B = 0xB;
    private static final long C = 0xC;
    private static final LockRange ALL = new LockRange(0, LockRange.TO_EOF);

    private final ManualClock clock = new ManualClock();
    private static final int EPOCH = 0x1D5;
    private final StateIdAllocator ids = new StateIdAllocator(EPOCH);
    private final OpenStates opens = new OpenStates(ServerConfig.defaults(), clock, ids, LockQuery.NONE,
            ConflictResolver.NONE);
    private final List<String> notified = new ArrayList<>();
    private final List<Long> expireAsked = new ArrayList<>();
    private final List<Long> courtesy = new ArrayList<>();
    private LockManager locks = new LockManager(opens, ids, clock, WINDOW, this::tryExpire, ReclaimPolicy.NO_GRACE,
            (owner, file) -> notified.add(new String(owner.owner(), StandardCharsets.UTF_8)));
    private final FileHandle file = fh(1);
    private final FileHandle other = fh(2);

    /** The courtesy hook as the lease work will implement it: expire a courtesy client and release it. */
    private boolean tryExpire(long clientId) {
        expireAsked.add(clientId);
        if (courtesy.remove(Long.valueOf(clientId))) {
            opens.releaseClient(clientId);
            locks.releaseClient(clientId);
            return true;
        }
        return false;
    }

    // --- conflicts -------------------------------------------------------------------------

    @Test
    void lock_readLocksOfTwoClients_bothGranted_writeDeniedWithTheConflict() throws NfsException {
        granted(lock(A, "a", false, range(0, 100)));
        granted(lock(B, "b", false, range(50, 100)));
        LockOutcome.Denied d = denied(lock(C, "c", true, range(10, 10)));
        assertThat(d.owner()).isEqualTo(owner(A, "a"));
        assertThat(d.range()).isEqualTo(range(0, 100));
        assertThat(d.write()).isFalse();
    }

    @Test
    void lock_writeHeld_readOfOtherOwnerOfSameClientDenied_sameOwnerNeverConflicts() throws NfsException {
        StateId sid = granted(lock(A, "a", true, ALL));
        LockOutcome.Denied d = denied(lock(A, "a2", false, range(7, 1)));
        assertThat(d.owner()).isEqualTo(owner(A, "a"));
        assertThat(d.range().length()).isEqualTo(-1L);
        assertThat(d.write()).isTrue();
        // the same owner downgrades part of its own lock
        StateId sid2 = granted(locks.lockExisting(A, file, sid, false, false, false, range(0, 10)));
        assertThat(sid2.seqid()).isEqualTo(sid.seqid() + 1);
        granted(lock(A, "a2", false, range(0, 10)));
        denied(lock(A, "a2", false, range(10, 1)));
    }

    @Test
    void lock_differentFiles_neverConflict() throws NfsException {
        granted(lock(A, "a", true, ALL));
        granted(lockOn(other, B, "b", true, ALL));
    }

    @Test
    void test_reportsConflictWithoutTakingALock() throws NfsException {
        granted(lock(A, "a", true, range(10, 10)));
        assertThat(locks.test(B, file, owner(B, "b"), false, range(0, 11))).get()
                .extracting(LockOutcome.Denied::owner).isEqualTo(owner(A, "a"));
        assertThat(locks.test(B, file, owner(B, "b"), true, range(20, 5))).isEmpty();
        assertThat(locks.test(A, file, owner(A, "a"), true, range(0, 100))).isEmpty();
        assertThat(locks.test(B, other, owner(B, "b"), true, ALL)).isEmpty();
    }

    // --- stateids ----------------------------------------------------------------------------

    @Test
    void lockNewOwner_sameOwnerAndFileTwice_sameStateidNextSeqid_oldOneIsOld() throws NfsException {
        StateId first = granted(lock(A, "a", true, range(0, 1)));
        StateId second = granted(lock(A, "a", true, range(5, 1)));
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(second.seqid()).isEqualTo(2);
        assertThat(locks.lockStateCount(A)).isEqualTo(1);
        assertStatus(() -> locks.lockExisting(A, file, first, true, false, false, range(9, 1)), NfsStatus.NFS4ERR_OLD_STATEID);
        assertStatus(() -> locks.lockExisting(A, file, second.withSeqid(7), true, false, false, range(9, 1)),
                NfsStatus.NFS4ERR_BAD_STATEID);
        granted(locks.lockExisting(A, file, second.withSeqid(0), true, false, false, range(9, 1)));
        // another file gets another stateid
        assertThat(granted(lockOn(other, A, "a", true, ALL)).key()).isNotEqualTo(first.key());
    }

    @Test
    void lockExisting_wrongClientOrFileOrSpecial_badStateid() throws NfsException {
        StateId sid = granted(lock(A, "a", true, range(0, 1)));
        assertStatus(() -> locks.lockExisting(B, file, sid, true, false, false, range(0, 1)), NfsStatus.NFS4ERR_BAD_STATEID);
        assertStatus(() -> locks.lockExisting(A, other, sid, true, false, false, range(0, 1)), NfsStatus.NFS4ERR_BAD_STATEID);
        assertStatus(() -> locks.lockExisting(A, file, StateId.ANONYMOUS, true, false, false, range(0, 1)),
                NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void lockNewOwner_badOrClosedOpen_badStateid_readOnlyOpenWriteLock_openmode() throws NfsException {
        StateId ro = opens.open(A, new OpenOwner(A, bytes("ro")), file, ACCESS_READ, DENY_NONE).stateId();
        assertStatus(() -> locks.lockNewOwner(A, file, ro, owner(A, "a"), true, false, false, ALL), NfsStatus.NFS4ERR_OPENMODE);
        granted(locks.lockNewOwner(A, file, ro, owner(A, "a"), false, false, false, ALL));
        assertStatus(() -> locks.lockNewOwner(A, other, ro, owner(A, "x"), false, false, false, ALL),
                NfsStatus.NFS4ERR_BAD_STATEID);
        assertStatus(() -> locks.lockNewOwner(B, file, ro, owner(B, "b"), false, false, false, ALL),
                NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void unlock_middle_splitsAndBumpsSeqid_othersGetTheHole() throws NfsException {
        StateId sid = granted(lock(A, "a", true, range(0, 100)));
        StateId after = locks.unlock(A, file, sid, range(40, 20));
        assertThat(after.seqid()).isEqualTo(2);
        granted(lock(B, "b", true, range(40, 20)));
        denied(lock(B, "b", true, range(39, 1)));
        denied(lock(B, "b", true, range(60, 1)));
        assertStatus(() -> locks.unlock(A, file, sid, range(0, 1)), NfsStatus.NFS4ERR_OLD_STATEID);
    }

    @Test
    void openStateIdOf_lockStateid_isItsOpen_otherStateids_null() throws NfsException {
        StateId open = openFor(A, file, ACCESS_BOTH);
        StateId sid = granted(locks.lockNewOwner(A, file, open, owner(A, "a"), true, false, false, ALL));
        assertThat(locks.openStateIdOf(A, sid, file)).isEqualTo(open.withSeqid(0));
        assertThat(locks.openStateIdOf(A, open, file)).isNull();
        assertStatus(() -> locks.openStateIdOf(B, sid, file), NfsStatus.NFS4ERR_BAD_STATEID);
        assertStatus(() -> locks.openStateIdOf(A, sid, other), NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(locks.test(A, sid)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(ids.kindOf(sid)).isEqualTo(StateKind.LOCK);
        assertThat(ids.kindOf(open)).isEqualTo(StateKind.OPEN);
    }

    @Test
    void lockStateids_fromTheSharedAllocator_routedByKindThroughTheRegistry() throws NfsException {
        StateId sid = granted(lock(A, "a", true, range(0, 10)));
        StateIdRegistry registry = new StateIdRegistry(ids, List.of(opens, locks));
        assertThat(registry.test(A, sid)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(registry.test(B, sid)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(registry.free(A, sid)).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        StateId after = locks.unlock(A, file, sid, range(0, 10));
        assertThat(registry.free(A, after)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(registry.test(A, after)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        // the lock tag on an unknown counter is still a lock stateid: BAD here, never the open table's
        byte[] forged = after.other();
        forged[StateId.OTHER_SIZE - 1] ^= 0x55;
        assertThat(registry.test(A, new StateId(1, forged))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertStatus(() -> locks.openStateIdOf(A, new StateId(1, forged), file), NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void lockExisting_lockStateidOfAnotherServerInstance_staleStateid() throws NfsException {
        openFor(A, file, ACCESS_BOTH);
        StateId old = new StateId(1, new StateIdAllocator(EPOCH + 1).newOther(StateKind.LOCK));
        assertStatus(() -> locks.lockExisting(A, file, old, true, false, false, ALL), NfsStatus.NFS4ERR_STALE_STATEID);
        assertStatus(() -> locks.unlock(A, file, old, ALL), NfsStatus.NFS4ERR_STALE_STATEID);
        assertThat(locks.openStateIdOf(A, old, file)).isNull(); // READ/WRITE: the open table says STALE
    }

    // --- CLOSE, FREE_STATEID, release ---------------------------------------------------------

    @Test
    void closeOpen_withLocks_locksHeld_afterUnlock_closesAndFreesLockStateids() throws NfsException {
        StateId open = openFor(A, file, ACCESS_BOTH);
        StateId sid = granted(locks.lockNewOwner(A, file, open, owner(A, "a"), true, false, false, ALL));
        assertThat(locks.hasLocks(A, open)).isTrue();
        assertStatus(() -> {
            locks.closeOpen(A, open, file);
            return null;
        }, NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(opens.openCount(A)).isEqualTo(1);
        locks.unlock(A, file, sid, ALL);
        assertThat(locks.hasLocks(A, open)).isFalse();
        locks.closeOpen(A, open, file);
        assertThat(opens.openCount(A)).isZero();
        assertThat(locks.lockStateCount(A)).isZero();
        assertStatus(() -> locks.lockExisting(A, file, sid, true, false, false, ALL), NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void closeOpen_clientWithoutOpens_openTablesAnswer_noEntryMadeHere() throws NfsException {
        StateId othersOpen = openFor(B, file, ACCESS_BOTH);
        assertStatus(() -> {
            locks.closeOpen(A, othersOpen, file);
            return null;
        }, NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(locks.tracks(A)).as("a CLOSE from a client with no opens leaves no lock-table entry").isFalse();
        assertThat(opens.openCount(B)).isEqualTo(1);
    }

    @Test
    void free_withLocks_locksHeld_withoutLocks_freed() throws NfsException {
        StateId sid = granted(lock(A, "a", true, range(0, 10)));
        assertThat(locks.free(A, sid)).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        StateId after = locks.unlock(A, file, sid, range(0, 10));
        assertThat(locks.free(A, sid)).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        assertThat(locks.free(A, after)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(locks.lockStateCount(A)).isZero();
        assertThat(locks.free(A, after)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(locks.test(A, after)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(locks.isTracked(file)).isFalse();
    }

    @Test
    void releaseClient_dropsItsLocksStateidsAndWaiters_othersKeepTheirs() throws NfsException {
        granted(lock(A, "a", true, range(0, 10)));
        StateId b = granted(lock(B, "b", true, range(20, 10)));
        denied(lock(A, "a", true, true, range(20, 10))); // A queues behind B
        assertThat(locks.waiterCount(file)).isEqualTo(1);
        locks.releaseClient(A);
        assertThat(locks.lockStateCount(A)).isZero();
        assertThat(locks.waiterCount(file)).isZero();
        granted(lock(C, "c", true, range(0, 10)));
        denied(lock(C, "c", true, range(25, 1)));
        assertThat(locks.test(B, b)).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void lock_afterTheClientsOpensWereReleased_badStateid_nothingGranted() throws NfsException {
        StateId sid = granted(lock(A, "a", true, range(0, 10)));
        opens.releaseClient(A); // teardown has begun: opens first, then locks
        assertStatus(() -> locks.lockExisting(A, file, sid, true, false, false, range(20, 10)),
                NfsStatus.NFS4ERR_BAD_STATEID);
        locks.releaseClient(A);
        granted(lock(B, "b", true, range(0, 30)));
    }

    // --- fairness -----------------------------------------------------------------------------

    @Test
    void blockingWaiter_pollsAfterUnlock_getsTheLockBeforeANewcomer() throws NfsException {
        StateId a = granted(lock(A, "a", true, range(0, 100)));
        LockOutcome.Denied first = denied(lock(B, "b", true, true, range(50, 10)));
        assertThat(first.owner()).isEqualTo(owner(A, "a"));
        assertThat(notified).isEmpty();
        locks.unlock(A, file, a, range(0, 100));
        assertThat(notified).containsExactly("b");
        // a newcomer, blocking or not, is refused while B's reservation stands; the body names B
        LockOutcome.Denied newcomer = denied(lock(C, "c", false, range(55, 1)));
        assertThat(newcomer.owner()).isEqualTo(owner(B, "b"));
        assertThat(newcomer.write()).isTrue();
        denied(lock(C, "c", true, true, range(0, 51)));
        // a range B did not ask for is free
        granted(lock(C, "c", true, range(0, 50)));
        granted(lock(B, "b", true, true, range(50, 10)));
        // taking a lock ends the owner's wait: nobody is queued any more
        assertThat(locks.waiterCount(file)).isZero();
    }

    @Test
    void blockingWaiters_queueInOrder_secondWaitsForTheFirst() throws NfsException {
        StateId a = granted(lock(A, "a", true, ALL));
        denied(lock(B, "b", true, true, ALL));
        denied(lock(C, "c", true, true, ALL));
        locks.unlock(A, file, a, ALL);
        assertThat(notified).containsExactly("b");
        assertThat(denied(lock(C, "c", true, true, ALL)).owner()).isEqualTo(owner(B, "b"));
        StateId b = granted(lock(B, "b", true, true, ALL));
        notified.clear();
        locks.unlock(B, file, b, ALL);
        assertThat(notified).containsExactly("c");
        granted(lock(C, "c", true, true, ALL));
    }

    @Test
    void nonBlockingDenial_isNotQueued() throws NfsException {
        StateId a = granted(lock(A, "a", true, ALL));
        denied(lock(B, "b", true, false, ALL));
        assertThat(locks.waiterCount(file)).isZero();
        locks.unlock(A, file, a, ALL);
        granted(lock(C, "c", true, ALL));
    }

    @Test
    void waiterReservation_expiresOneWindowAfterItsLastPoll() throws NfsException {
        StateId a = granted(lock(A, "a", true, ALL));
        denied(lock(B, "b", true, true, ALL));
        clock.advance(WINDOW.minusSeconds(1));
        denied(lock(B, "b", true, true, ALL)); // the poll renews the reservation
        locks.unlock(A, file, a, ALL);
        clock.advance(WINDOW.minusSeconds(1));
        denied(lock(C, "c", true, ALL));
        clock.advance(Duration.ofSeconds(1));
        granted(lock(C, "c", true, ALL));
        assertThat(locks.waiterCount(file)).isZero();
    }

    @Test
    void reapExpiredWaiters_dropsOnlyExpired_andNotifiesTheNextOne() throws NfsException {
        granted(lock(A, "a", true, range(0, 10)));
        denied(lock(B, "b", true, true, range(0, 10)));
        clock.advance(Duration.ofSeconds(30));
        denied(lock(C, "c", true, true, range(0, 10)));
        locks.reapExpiredWaiters(clock.instant().plus(WINDOW).minusSeconds(31));
        assertThat(locks.waiterCount(file)).isEqualTo(2);
        locks.reapExpiredWaiters(clock.instant().plus(WINDOW).minusSeconds(30));
        assertThat(locks.waiterCount(file)).isEqualTo(1);
        assertThat(notified).isEmpty(); // A still holds the range
        locks.reapExpiredWaiters(clock.instant().plus(WINDOW));
        assertThat(locks.waiterCount(file)).isZero();
    }

    @Test
    void waiter_notifiedOncePerDenial_againAfterItsNextDenial() throws NfsException {
        StateId a = granted(lock(A, "a", true, range(0, 10)));
        StateId a2 = granted(lock(A, "a2", true, range(100, 10)));
        denied(lock(B, "b", true, true, range(0, 10)));
        locks.unlock(A, file, a, range(0, 10));
        assertThat(notified).containsExactly("b");
        // another change on the file while B is still grantable: not told twice
        locks.unlock(A, file, a2, range(100, 10));
        assertThat(notified).containsExactly("b");
        // B is beaten to it by nobody, but asks for more than is free: denied again, told again later
        StateId a3 = granted(lock(A, "a3", true, range(20, 10)));
        denied(lock(B, "b", true, true, range(0, 30)));
        locks.unlock(A, file, a3, range(20, 10));
        assertThat(notified).containsExactly("b", "b");
    }

    @Test
    void lock_lazyReapOfAnExpiredWaiterAhead_notifiesTheNextWaiter() throws NfsException {
        StateId a = granted(lock(A, "a", true, range(0, 10)));
        denied(lock(B, "b", true, true, range(0, 10)));
        clock.advance(Duration.ofSeconds(10));
        denied(lock(C, "c", true, true, range(0, 10)));
        locks.unlock(A, file, a, range(0, 10));
        assertThat(notified).containsExactly("b");
        clock.advance(WINDOW.minusSeconds(10)); // B's reservation ends; C's has 10 s left
        // any LOCK of the file reaps B lazily, which lets C through
        granted(lock(A, "x", true, range(500, 1)));
        assertThat(notified).containsExactly("b", "c");
        granted(lock(C, "c", true, true, range(0, 10)));
    }

    @Test
    void isWaiting_whileQueuedAndReserved_notAfterGrantOrExpiry() throws NfsException {
        StateId a = granted(lock(A, "a", true, ALL));
        denied(lock(B, "b", true, true, ALL));
        denied(lock(C, "c", true, true, ALL));
        assertThat(locks.isWaiting(owner(B, "b"), file)).isTrue();
        assertThat(locks.waiterTotal()).isEqualTo(2);
        assertThat(locks.isWaiting(owner(B, "b"), other)).isFalse();
        assertThat(locks.isWaiting(owner(A, "a"), file)).isFalse();
        locks.unlock(A, file, a, ALL);
        granted(lock(B, "b", true, true, ALL));
        assertThat(locks.isWaiting(owner(B, "b"), file)).isFalse();
        assertThat(locks.waiterTotal()).isEqualTo(1);
        clock.advance(WINDOW);
        assertThat(locks.isWaiting(owner(C, "c"), file)).isFalse();
    }

    // --- hooks ------------------------------------------------------------------------------

    @Test
    void conflictWithCourtesyClient_expiresItAndGrants() throws NfsException {
        granted(lock(A, "a", true, ALL));
        courtesy.add(A);
        granted(lock(B, "b", true, range(5, 5)));
        assertThat(expireAsked).containsExactly(A);
        assertThat(locks.lockStateCount(A)).isZero();
        assertThat(opens.openCount(A)).isZero();
    }

    @Test
    void conflictWithActiveClient_askedOnce_denied() throws NfsException {
        granted(lock(A, "a", true, ALL));
        denied(lock(B, "b", true, ALL));
        assertThat(expireAsked).containsExactly(A);
        denied(lock(A, "a2", true, ALL)); // the client's own other owner: never asked
        assertThat(expireAsked).containsExactly(A);
    }

    @Test
    void test_conflictWithCourtesyClient_expiresIt() throws NfsException {
        granted(lock(A, "a", true, ALL));
        courtesy.add(A);
        assertThat(locks.test(B, file, owner(B, "b"), true, ALL)).isEmpty();
        assertThat(locks.lockStateCount(A)).isZero();
    }

    @Test
    void reclaim_defaultPolicy_noGrace_customPolicyDecides() throws NfsException {
        StateId open = openFor(A, file, ACCESS_BOTH);
        assertStatus(() -> locks.lockNewOwner(A, file, open, owner(A, "a"), true, false, true, ALL),
                NfsStatus.NFS4ERR_NO_GRACE);
        List<String> asked = new ArrayList<>();
        locks = new LockManager(opens, ids, clock, WINDOW, ConflictingClients.NEVER, (client, reclaim) -> {
            asked.add(client + ":" + reclaim);
            if (!reclaim) {
                throw new NfsException(NfsStatus.NFS4ERR_GRACE, "in grace");
            }
        }, LockWaiterListener.NONE);
        StateId sid = granted(locks.lockNewOwner(A, file, open, owner(A, "a"), true, false, true, ALL));
        assertStatus(() -> locks.lockExisting(A, file, sid, true, false, false, ALL), NfsStatus.NFS4ERR_GRACE);
        assertThat(asked).containsExactly("10:true", "10:false");
    }

    // --- helpers ------------------------------------------------------------------------------

    private LockOutcome lock(long client, String owner, boolean write, LockRange range) throws NfsException {
        return lock(client, owner, write, false, range);
    }

    private LockOutcome lock(long client, String owner, boolean write, boolean blocking, LockRange range)
            throws NfsException {
        return lockOn(file, client, owner, write, blocking, range);
    }

    private LockOutcome lockOn(FileHandle fh, long client, String owner, boolean write, LockRange range)
            throws NfsException {
        return lockOn(fh, client, owner, write, false, range);
    }

    /** LOCK by a new lock owner, through the client's open of the file (made when needed). */
    private LockOutcome lockOn(FileHandle fh, long client, String owner, boolean write, boolean blocking, LockRange range)
            throws NfsException {
        return locks.lockNewOwner(client, fh, openFor(client, fh, ACCESS_BOTH), owner(client, owner), write, blocking,
                false, range);
    }

    private StateId openFor(long client, FileHandle fh, int access) throws NfsException {
        return opens.open(client, new OpenOwner(client, bytes("open")), fh, access, DENY_NONE).stateId();
    }

    private static StateId granted(LockOutcome o) {
        assertThat(o).isInstanceOf(LockOutcome.Granted.class);
        return ((LockOutcome.Granted) o).stateId();
    }

    private static LockOutcome.Denied denied(LockOutcome o) {
        assertThat(o).isInstanceOf(LockOutcome.Denied.class);
        return (LockOutcome.Denied) o;
    }

    private static void assertStatus(ThrowingSupplier<?> call, NfsStatus status) {
        assertThatThrownBy(call::get).isInstanceOf(NfsException.class)
                .extracting(e -> ((NfsException) e).status()).isEqualTo(status);
    }

    private static LockRange range(long offset, long length) {
        try {
            return LockRange.of(offset, length);
        } catch (NfsException e) {
            throw new AssertionError(e);
        }
    }

    private static OpenOwner owner(long client, String name) {
        return new OpenOwner(client, bytes(name));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static FileHandle fh(int n) {
        return new FileHandle(1, new Inode(new byte[] {(byte) n}));
    }

}

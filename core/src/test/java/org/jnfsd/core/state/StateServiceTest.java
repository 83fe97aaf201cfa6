package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.core.state.lock.LockOutcome;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/** One stateid resolution by kind tag, over the real open, lock and delegation tables. */
class StateServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final long C1 = 0x100;
    private static final long C2 = 0x200;
    private static final FileHandle F1 = new FileHandle(1, new Inode(new byte[] {1}));
    private static final FileHandle F2 = new FileHandle(1, new Inode(new byte[] {2}));

    private final StateIdAllocator ids = new StateIdAllocator(0x1234);
    private final LockManager[] lockRef = new LockManager[1];
    private final OpenStates opens = new OpenStates(ServerConfig.defaults(), CLOCK, ids,
            (c, s) -> lockRef[0].hasLocks(c, s), ConflictResolver.NONE);
    private final LockManager locks = new LockManager(opens, ids, CLOCK, Duration.ofSeconds(90));
    private final DelegationTable delegations = new DelegationTable(CLOCK, ids, Duration.ofSeconds(90),
            Duration.ofSeconds(5), 100);
    private final StateService state;

    StateServiceTest() {
        lockRef[0] = locks;
        state = new StateService(ids, opens, locks, delegations,
                new StateIdRegistry(ids, List.of(opens, locks, delegations)));
    }

    private OpenShare open(long client, String owner, FileHandle f) throws NfsException {
        return opens.open(client, new OpenOwner(client, owner.getBytes(StandardCharsets.UTF_8)), f,
                ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE);
    }

    private StateId lock(long client, OpenShare open, FileHandle f) throws NfsException {
        LockOutcome o = locks.lockNewOwner(client, f, open.stateId(),
                new OpenOwner(client, "lk".getBytes(StandardCharsets.UTF_8)), true, false, false, LockRange.of(0, 10));
        return ((LockOutcome.Granted) o).stateId();
    }

    @Test
    void resolveIo_openStateId_theOpen() throws Exception {
        OpenShare o = open(C1, "o", F1);
        StateService.IoState io = state.resolveIo(C1, o.stateId(), F1);
        assertThat(io.open().stateId()).isEqualTo(o.stateId());
        assertThat(io.delegation()).isNull();
    }

    @Test
    void resolveIo_lockStateId_theOpenItWasMadeThrough() throws Exception {
        OpenShare o = open(C1, "o", F1);
        StateId l = lock(C1, o, F1);
        StateService.IoState io = state.resolveIo(C1, l, F1);
        assertThat(io.open().stateId().key()).isEqualTo(o.stateId().key());
    }

    @Test
    void resolveIo_lockStateIdOnAnotherFile_badStateid() throws Exception {
        OpenShare o = open(C1, "o", F1);
        StateId l = lock(C1, o, F1);
        assertThatThrownBy(() -> state.resolveIo(C1, l, F2)).isInstanceOf(NfsException.class)
                .extracting(e -> ((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void resolveIo_delegationStateId_theDelegationOfThatClientOnly() throws Exception {
        Delegation d = delegations.grantRead(C1, F1).delegation();
        assertThat(state.resolveIo(C1, d.stateId(), F1).delegation()).isSameAs(d);
        assertThat(state.resolveIo(C1, d.stateId().withSeqid(0), F1).delegation()).isSameAs(d);
        assertThat(status(() -> state.resolveIo(C2, d.stateId(), F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void resolveIo_revokedDelegation_delegRevoked_untilFreed() throws Exception {
        Delegation d = delegations.grantRead(C1, F1).delegation();
        delegations.revokeMatching(x -> x == d, "test");
        assertThat(status(() -> state.resolveIo(C1, d.stateId(), F1))).isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);
        assertThat(state.free(C1, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(() -> state.resolveIo(C1, d.stateId(), F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void resolveIo_returnedDelegation_badStateid() throws Exception {
        Delegation d = delegations.grantRead(C1, F1).delegation();
        assertThat(delegations.delegReturn(C1, F1, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(() -> state.resolveIo(C1, d.stateId(), F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void resolveIo_otherInstanceCopyOrUnknownKind_staleOrBad() throws Exception {
        OpenShare o = open(C1, "o", F1);
        StateId foreign = new StateId(1, new StateIdAllocator(0x9999).newOther(StateKind.OPEN));
        assertThat(status(() -> state.resolveIo(C1, foreign, F1))).isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
        StateId copy = new StateId(1, ids.newOther(StateKind.COPY));
        assertThat(status(() -> state.resolveIo(C1, copy, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        byte[] other = o.stateId().other();
        other[4] = 99; // no such kind
        assertThat(status(() -> state.resolveIo(C1, new StateId(1, other), F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void close_withLocksHeld_locksHeldOnce_thenAfterUnlockClosesOpenAndItsLockStateids() throws Exception {
        OpenShare o = open(C1, "o", F1);
        StateId l = lock(C1, o, F1);
        assertThat(status(() -> { state.close(C1, o.stateId(), F1); return null; }))
                .isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        locks.unlock(C1, F1, l, LockRange.of(0, 10));
        state.close(C1, o.stateId(), F1);
        assertThat(opens.openCount(C1)).isZero();
        assertThat(locks.lockStateCount(C1)).isZero();
    }

    @Test
    void close_clientWithoutOpens_badStateid_andNoLockEntryCreated() throws Exception {
        StateId never = new StateId(1, ids.newOther(StateKind.OPEN));
        assertThat(status(() -> { state.close(C2, never, F1); return null; })).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(locks.lockStateCount(C2)).isZero();
    }

    private interface Call {
        Object run() throws NfsException;
    }

    private static NfsStatus status(Call c) {
        try {
            c.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }
}

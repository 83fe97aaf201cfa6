package org.jnfsd.core.ops.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.lock.LockFixture.A;
import static org.jnfsd.core.ops.lock.LockFixture.B;
import static org.jnfsd.core.ops.lock.LockFixture.bytes;
import static org.jnfsd.core.ops.lock.LockFixture.existing;
import static org.jnfsd.core.ops.lock.LockFixture.newOwner;
import static org.jnfsd.core.ops.lock.LockFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockDenied;
import org.jnfsd.protocol.nfs4.lock.LockDeniedResult;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class LockTest {
    private final LockFixture fx = new LockFixture();

    LockTest() throws VfsException {}

    @Test
    void lock_newOwner_grantsAndSetsTheCurrentStateid() throws Exception {
        CompoundContext ctx = fx.ctx(A);
        OpResult r = run(ctx, newOwner(LockType.WRITE_LT, 0, 10, fx.open(A, ACCESS_BOTH), "l"));
        StateId sid = ((StateIdResult) r).stateId();
        assertThat(sid.seqid()).isEqualTo(1);
        assertThat(ctx.currentStateId()).isEqualTo(sid);
        // the current stateid stands for the lock stateid in the next operation
        StateIdResult again = (StateIdResult) run(ctx, existing(LockType.READ_LT, 0, 10, StateId.CURRENT));
        assertThat(again.stateId()).isEqualTo(sid.withSeqid(2));
    }

    @Test
    void lock_conflictingClient_deniedWithOwnerRangeAndType() throws Exception {
        run(fx.ctx(A), newOwner(LockType.WRITE_LT, 100, -1L, fx.open(A, ACCESS_BOTH), "la"));
        OpResult r = run(fx.ctx(B), newOwner(LockType.READ_LT, 0, 101, fx.open(B, ACCESS_BOTH), "lb"));
        assertThat(r).isEqualTo(new LockDeniedResult(new LockDenied(100, -1L, LockType.WRITE_LT, new OpenOwner(A, bytes("la")))));
    }

    @Test
    void lock_blockingTypeDenied_queuesAndWaiterGetsItBeforeNewcomer() throws Exception {
        StateId a = ((StateIdResult) run(fx.ctx(A), newOwner(LockType.WRITE_LT, 0, 10, fx.open(A, ACCESS_BOTH), "la")))
                .stateId();
        StateId openB = fx.open(B, ACCESS_BOTH);
        assertThat(run(fx.ctx(B), newOwner(LockType.WRITEW_LT, 0, 10, openB, "lb")).status())
                .isEqualTo(NfsStatus.NFS4ERR_DENIED);
        run(fx.ctx(A), new org.jnfsd.protocol.nfs4.lock.LockuArgs(LockType.WRITE_LT, 0, a, 0, 10));
        OpResult newcomer = run(fx.ctx(A), newOwner(LockType.WRITE_LT, 5, 1, fx.open(A, ACCESS_BOTH), "la2"));
        assertThat(((LockDeniedResult) newcomer).denied().owner()).isEqualTo(new OpenOwner(B, bytes("lb")));
        assertThat(run(fx.ctx(B), newOwner(LockType.WRITEW_LT, 0, 10, openB, "lb")).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void lock_badRanges_inval() throws Exception {
        StateId open = fx.open(A, ACCESS_BOTH);
        assertThat(run(fx.ctx(A), newOwner(LockType.READ_LT, 0, 0, open, "l")).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(run(fx.ctx(A), newOwner(LockType.READ_LT, -2L, 3, open, "l")).status())
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(run(fx.ctx(A), newOwner(LockType.READ_LT, -1L, -1L, open, "l")).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void lock_writeThroughReadOnlyOpen_openmode() throws Exception {
        assertThat(run(fx.ctx(A), newOwner(LockType.WRITE_LT, 0, 1, fx.open(A, ACCESS_READ), "l")).status())
                .isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
    }

    @Test
    void lock_onDirectory_isdir_withUnknownStateids_badStateid() throws Exception {
        StateId open = fx.open(A, ACCESS_BOTH);
        CompoundContext ctx = fx.ctx(A);
        ctx.setCurrentFh(fx.root);
        assertThat(run(ctx, newOwner(LockType.READ_LT, 0, 1, open, "l")).status()).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
        assertThat(run(fx.ctx(A), existing(LockType.READ_LT, 0, 1, open)).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(run(fx.ctx(B), newOwner(LockType.READ_LT, 0, 1, open, "l")).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void lock_reclaimWithoutGrace_noGrace() throws Exception {
        LockArgs reclaim = new LockArgs(LockType.READ_LT, true, 0, 1,
                new Locker.NewOwner(0, fx.open(A, ACCESS_BOTH), 0, new OpenOwner(A, bytes("l"))));
        assertThat(run(fx.ctx(A), reclaim).status()).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
    }

    @Test
    void lockAndLockt_duringGrace_grace_reclaimOfUnknownClient_refused() throws Exception {
        org.jnfsd.core.recovery.InMemoryRecoveryStore store = new org.jnfsd.core.recovery.InMemoryRecoveryStore();
        // an earlier server instance in which a client obtained state: this one starts in grace
        new org.jnfsd.core.recovery.GracePeriod(store, LockFixture.CLOCK, java.time.Duration.ofSeconds(90))
                .stateGranted(1, bytes("earlier-client"), "sys:0@host", false);
        LockFixture graceFx = new LockFixture(store);
        assertThat(graceFx.server.grace().inGrace()).isTrue();
        StateId open = graceFx.open(A, ACCESS_BOTH);
        assertThat(run(graceFx.ctx(A), newOwner(LockType.WRITE_LT, 0, 1, open, "l")).status())
                .isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(run(graceFx.ctx(A), new org.jnfsd.protocol.nfs4.lock.LocktArgs(LockType.READ_LT, 0, 1,
                new OpenOwner(A, bytes("t")))).status()).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        // A has no client record in this server: its reclaim is refused, never granted
        LockArgs reclaim = new LockArgs(LockType.READ_LT, true, 0, 1,
                new Locker.NewOwner(0, open, 0, new OpenOwner(A, bytes("l"))));
        assertThat(run(graceFx.ctx(A), reclaim).status()).isNotEqualTo(NfsStatus.NFS4_OK);
        assertThat(graceFx.server.locks().lockStateCount(A)).isZero();
    }

    @Test
    void failure_denied_isNeverABodylessDenied() throws Exception {
        assertThat(new Lock().failure(NfsStatus.NFS4ERR_DENIED, null).status()).isEqualTo(NfsStatus.NFS4ERR_SERVERFAULT);
        assertThat(new Lock().failure(NfsStatus.NFS4ERR_INVAL, null).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}

package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/** Write delegations in {@link DelegationTable}, and callback-races row 21 (a). */
class WriteDelegationTableTest {
    private static final long A = 1;
    private static final long B = 2;
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration COOLDOWN = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final DelegationTable table = new DelegationTable(clock, new StateIdAllocator(7), LEASE, COOLDOWN, 2);
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {1, 2, 3}));
    private final FileHandle other = new FileHandle(1, new Inode(new byte[] {4}));
    private final List<Delegation> recalled = new ArrayList<>();

    @Test
    void grantWrite_freeFile_grantsNewWriteDelegation() {
        DelegationTable.Grant g = table.grantWrite(A, file, 7, 100);

        assertThat(g.refusal()).isEqualTo(DelegationTable.Refusal.NONE);
        assertThat(g.created()).isTrue();
        assertThat(g.delegation().type()).isEqualTo(Delegation.Type.WRITE);
        assertThat(g.delegation().state()).isEqualTo(Delegation.State.GRANTED);
        assertThat(table.test(A, g.delegation().stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(table.liveCount()).isEqualTo(1);
    }

    @Test
    void grantWrite_sameClientTwice_sameDelegationNotCreated() {
        Delegation first = table.grantWrite(A, file, 7, 100).delegation();

        DelegationTable.Grant again = table.grantWrite(A, file, 8, 100);

        assertThat(again.delegation()).isSameAs(first);
        assertThat(again.created()).isFalse();
        assertThat(table.grantRead(A, file).delegation()).as("a read open of the holder gets it too").isSameAs(first);
        assertThat(table.liveCount()).isEqualTo(1);
    }

    @Test
    void grantWrite_otherClientHoldsReadDelegation_contention() {
        table.grantRead(B, file);

        DelegationTable.Grant g = table.grantWrite(A, file, 7, 100);

        assertThat(g.delegation()).isNull();
        assertThat(g.refusal()).isEqualTo(DelegationTable.Refusal.CONTENTION);
    }

    @Test
    void grantWrite_ownReadDelegation_notSuppUpgrade() {
        table.grantRead(A, file);

        DelegationTable.Grant g = table.grantWrite(A, file, 7, 100);

        assertThat(g.delegation()).isNull();
        assertThat(g.refusal()).isEqualTo(DelegationTable.Refusal.NOT_SUPP_UPGRADE);
    }

    @Test
    void grantRead_otherClientHoldsWriteDelegation_contention() {
        table.grantWrite(A, file, 7, 100);

        assertThat(table.grantRead(B, file).refusal()).isEqualTo(DelegationTable.Refusal.CONTENTION);
        assertThat(table.grantWrite(B, file, 7, 100).refusal()).isEqualTo(DelegationTable.Refusal.CONTENTION);
    }

    @Test
    void grantWrite_limitReached_resource() {
        table.grantWrite(A, file, 1, 1);
        table.grantWrite(A, other, 1, 1);

        assertThat(table.grantWrite(B, new FileHandle(1, new Inode(new byte[] {9})), 1, 1).refusal())
                .isEqualTo(DelegationTable.Refusal.RESOURCE);
    }

    @Test
    void grantWrite_recalledWithinCooldown_contention() {
        Delegation d = table.grantWrite(A, file, 1, 1).delegation();
        table.recallConflicting(B, file, recalled::add);
        table.delegReturn(A, file, d.stateId());

        assertThat(table.grantWrite(A, file, 1, 1).refusal()).isEqualTo(DelegationTable.Refusal.CONTENTION);
        clock.advance(COOLDOWN);
        assertThat(table.grantWrite(A, file, 1, 1).delegation()).isNotNull();
    }

    @Test
    void recallConflicting_writeOnly_recallsWriteDelegationOnly() {
        Delegation read = table.grantRead(A, other).delegation();
        Delegation write = table.grantWrite(A, file, 1, 1).delegation();

        assertThat(table.recallConflicting(B, other, true, recalled::add)).as("read delegations do not conflict").isFalse();
        assertThat(table.recallConflicting(B, file, true, recalled::add)).isTrue();

        assertThat(recalled).containsExactly(write);
        assertThat(read.state()).isEqualTo(Delegation.State.GRANTED);
        assertThat(write.state()).isEqualTo(Delegation.State.RECALLING);
    }

    @Test
    void recallConflicting_holderItself_noRecall() {
        Delegation write = table.grantWrite(A, file, 1, 1).delegation();

        assertThat(table.recallConflicting(A, file, false, recalled::add)).isFalse();

        assertThat(recalled).isEmpty();
        assertThat(write.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void delegReturn_writeDelegation_forgottenAndFileFree() {
        Delegation d = table.grantWrite(A, file, 1, 1).delegation();

        assertThat(table.delegReturn(A, file, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(table.liveCount()).isZero();
        assertThat(table.test(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(table.grantRead(B, file).delegation()).isNotNull();
    }

    @Test
    void withdraw_createdDelegation_goneAsIfReturned() {
        Delegation d = table.grantWrite(A, file, 1, 1).delegation();

        table.withdraw(d);

        assertThat(d.state()).isEqualTo(Delegation.State.RETURNED);
        assertThat(table.liveCount()).isZero();
        assertThat(table.find(A, d.stateId())).isNull();
        assertThat(table.hasState(A)).isFalse();
        table.withdraw(d);
        assertThat(table.liveCount()).as("twice is harmless").isZero();
    }

    @Test
    void writeDelegationOfOther_onlyAnotherClientsLiveWriteDelegation() {
        table.grantRead(A, other);
        Delegation write = table.grantWrite(A, file, 1, 1).delegation();

        assertThat(table.writeDelegationOfOther(B, file)).isSameAs(write);
        assertThat(table.writeDelegationOfOther(A, file)).as("the holder's own").isNull();
        assertThat(table.writeDelegationOfOther(B, other)).as("a read delegation").isNull();
        table.recallConflicting(B, file, recalled::add);
        assertThat(table.writeDelegationOfOther(B, file)).as("recalling is still live").isSameAs(write);
        table.delegReturn(A, file, write.stateId());
        assertThat(table.writeDelegationOfOther(B, file)).isNull();
    }

    @Test
    void writeDelegationOfOther_writesLeavingByWithdrawAndRelease_fastPathCountFollows() {
        Delegation w1 = table.grantWrite(A, file, 1, 1).delegation();
        Delegation w2 = table.grantWrite(A, other, 1, 1).delegation();
        table.withdraw(w1);
        assertThat(table.writeDelegationOfOther(B, other)).isSameAs(w2);
        table.releaseClient(A);
        assertThat(table.writeDelegationOfOther(B, other)).isNull();

        Delegation w3 = table.grantWrite(B, other, 1, 1).delegation();

        assertThat(w3).isNotNull();
        assertThat(table.writeDelegationOfOther(A, other)).as("counted once per exit, never below").isSameAs(w3);
    }

    @Test
    void noteHolderAttributes_modifiedIsSticky_readDelegationRefused() {
        Delegation write = table.grantWrite(A, file, 7, 100).delegation();
        Delegation read = table.grantRead(A, other).delegation();

        assertThat(write.noteHolderAttributes(7, 100)).isFalse();
        assertThat(write.noteHolderAttributes(8, 100)).isTrue();
        assertThat(write.noteHolderAttributes(7, 100)).as("sticky").isTrue();
        assertThatThrownBy(() -> read.noteHolderAttributes(7, 100)).isInstanceOf(IllegalStateException.class);
    }

    // ---- callback-races row 21 (a): the lease reaper revokes a delegation while FREE_STATEID frees it

    /** A write delegation whose recall has gone unanswered for a lease: the reaper may revoke it. */
    private Delegation expiredRecall() {
        Delegation d = table.grantWrite(A, file, 1, 1).delegation();
        table.recallConflicting(B, file, recalled::add);
        clock.advance(LEASE);
        return d;
    }

    @Test
    void race21_reaperRevokesThenFreeStateid_freedOnceLaterOpenWorks() {
        Delegation d = expiredRecall();

        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(table.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(table.free(A, d.stateId())).as("a second free finds nothing").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(table.revokeExpiredRecalls()).as("nothing left to revoke").isZero();

        assertThat(table.liveCount()).isZero();
        assertThat(table.hasState(A)).isFalse();
        assertThat(table.hasRevoked(A)).isFalse();
        assertThat(table.recallConflicting(B, file, recalled::add)).as("a later OPEN is not in the way").isFalse();
        assertThat(table.grantWrite(B, file, 1, 1).delegation()).isNotNull();
    }

    @Test
    void race21_freeStateidBeforeReaper_refusedWhileLiveThenReaperRevokesOnce() {
        Delegation d = expiredRecall();

        assertThat(table.free(A, d.stateId())).as("live: DELEGRETURN it").isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(table.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(table.liveCount()).isZero();
        assertThat(table.hasState(A)).isFalse();
        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
    }

    /**
     * The reaper and FREE_STATEID queued together on a manual executor (the deterministic twin of the
     * threaded test below): run in each order, one revocation, one free, a later OPEN gets the file.
     */
    @Test
    void race21_reaperAndFreeStateid_eachOrderOnAManualExecutor_oneRevocationOneFree() {
        for (boolean reaperFirst : new boolean[] {true, false}) {
            DelegationTable t = new DelegationTable(clock, new StateIdAllocator(7), LEASE, COOLDOWN, 2);
            FileHandle f = new FileHandle(1, new Inode(new byte[] {reaperFirst ? (byte) 1 : (byte) 2, 9}));
            Delegation d = t.grantWrite(A, f, 1, 1).delegation();
            t.recallConflicting(B, f, x -> { });
            clock.advance(LEASE);
            List<Integer> revoked = new ArrayList<>();
            List<NfsStatus> freed = new ArrayList<>();
            java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
            Runnable reaper = () -> revoked.add(t.revokeExpiredRecalls());
            Runnable free = () -> freed.add(t.free(A, d.stateId()));
            queue.add(reaperFirst ? reaper : free);
            queue.add(reaperFirst ? free : reaper);
            while (!queue.isEmpty()) {
                queue.poll().run();
            }

            assertThat(revoked).as("reaper first: %s", reaperFirst).containsExactly(1);
            assertThat(freed).containsExactly(reaperFirst ? NfsStatus.NFS4_OK : NfsStatus.NFS4ERR_LOCKS_HELD);
            if (!reaperFirst) {
                assertThat(t.free(A, d.stateId())).as("freed once revoked").isEqualTo(NfsStatus.NFS4_OK);
            }
            assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
            assertThat(t.liveCount()).as("live count dropped exactly once").isZero();
            assertThat(t.hasState(A)).isFalse();
            assertThat(t.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(t.grantWrite(B, f, 1, 1).delegation()).as("a later OPEN gets the file").isNotNull();
        }
    }

    /** A threaded stress version of the test above, kept beside it. */
    @Test
    void race21_reaperAndFreeStateidConcurrently_oneRevocationOneFreeNoDoubleRelease() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                DelegationTable t = new DelegationTable(clock, new StateIdAllocator(7), LEASE, COOLDOWN, 2);
                FileHandle f = new FileHandle(1, new Inode(new byte[] {(byte) round, 1}));
                Delegation d = t.grantWrite(A, f, 1, 1).delegation();
                t.recallConflicting(B, f, x -> { });
                clock.advance(LEASE);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> reaper = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return t.revokeExpiredRecalls();
                });
                Future<NfsStatus> free = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return t.free(A, d.stateId());
                });
                int revoked = reaper.get(10, TimeUnit.SECONDS);
                NfsStatus freed = free.get(10, TimeUnit.SECONDS);

                assertThat(revoked).isEqualTo(1);
                assertThat(freed).isIn(NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_LOCKS_HELD);
                if (freed != NfsStatus.NFS4_OK) {
                    assertThat(t.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
                }
                assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
                assertThat(t.liveCount()).as("live count dropped exactly once").isZero();
                assertThat(t.hasState(A)).isFalse();
                assertThat(t.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
                assertThat(t.grantWrite(B, f, 1, 1).delegation()).as("a later OPEN gets the file").isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

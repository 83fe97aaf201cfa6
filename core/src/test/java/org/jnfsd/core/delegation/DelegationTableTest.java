package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class DelegationTableTest {
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
    void grantRead_freeFile_grantsGrantedDelegationWithSeqidOne() {
        DelegationTable.Grant g = table.grantRead(A, file);

        assertThat(g.refusal()).isEqualTo(DelegationTable.Refusal.NONE);
        assertThat(g.delegation().state()).isEqualTo(Delegation.State.GRANTED);
        assertThat(g.delegation().stateId().seqid()).isEqualTo(1);
        assertThat(table.test(A, g.delegation().stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(table.test(B, g.delegation().stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void grantRead_twoClients_bothGetReadDelegations() {
        assertThat(table.grantRead(A, file).delegation()).isNotNull();
        assertThat(table.grantRead(B, file).delegation()).isNotNull();
        assertThat(table.liveCount()).isEqualTo(2);
    }

    @Test
    void grantRead_sameClientTwice_returnsTheSameDelegation() {
        Delegation first = table.grantRead(A, file).delegation();

        assertThat(table.grantRead(A, file).delegation()).isSameAs(first);
        assertThat(table.liveCount()).isEqualTo(1);
    }

    @Test
    void grantRead_limitReached_refusesWithResource() {
        table.grantRead(A, file);
        table.grantRead(B, file);

        DelegationTable.Grant g = table.grantRead(A, other);

        assertThat(g.delegation()).isNull();
        assertThat(g.refusal()).isEqualTo(DelegationTable.Refusal.RESOURCE);
    }

    @Test
    void grantRead_limitZero_grantingOff() {
        DelegationTable off = new DelegationTable(clock, new StateIdAllocator(7), LEASE, COOLDOWN, 0);

        assertThat(off.grantRead(A, file).refusal()).isEqualTo(DelegationTable.Refusal.RESOURCE);
    }

    @Test
    void recallConflicting_otherClientsDelegation_recallsOnceAndAnswersDelay() {
        Delegation d = table.grantRead(A, file).delegation();

        assertThat(table.recallConflicting(B, file, recalled::add)).isTrue();
        assertThat(table.recallConflicting(B, file, recalled::add)).isTrue();

        assertThat(recalled).containsExactly(d);
        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
    }

    @Test
    void recallConflicting_holdersOwnRequest_doesNotRecall() {
        Delegation d = table.grantRead(A, file).delegation();

        assertThat(table.recallConflicting(A, file, recalled::add)).isFalse();

        assertThat(recalled).isEmpty();
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void delegReturn_afterRecall_conflictingRequestProceeds() {
        Delegation d = table.grantRead(A, file).delegation();
        table.recallConflicting(B, file, recalled::add);

        assertThat(table.delegReturn(A, file, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(d.state()).isEqualTo(Delegation.State.RETURNED);
        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
        assertThat(table.test(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(table.liveCount()).isZero();
        assertThat(table.hasState(A)).isFalse();
    }

    @Test
    void delegReturn_otherClientsStateid_badStateid() {
        Delegation d = table.grantRead(A, file).delegation();

        assertThat(table.delegReturn(B, file, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void delegReturn_otherFileAsCurrentFh_badStateid() {
        Delegation d = table.grantRead(A, file).delegation();

        assertThat(table.delegReturn(A, other, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(d.state()).isEqualTo(Delegation.State.GRANTED);
    }

    @Test
    void delegReturn_futureSeqid_badStateid() {
        Delegation d = table.grantRead(A, file).delegation();

        assertThat(table.delegReturn(A, file, d.stateId().withSeqid(2))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(table.delegReturn(A, file, d.stateId().withSeqid(0))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void grantRead_recalledWithinCooldown_refusesWithContention() {
        Delegation d = table.grantRead(A, file).delegation();
        table.recallConflicting(B, file, recalled::add);
        table.delegReturn(A, file, d.stateId());

        assertThat(table.grantRead(A, file).refusal()).isEqualTo(DelegationTable.Refusal.CONTENTION);
        clock.advance(COOLDOWN);
        assertThat(table.grantRead(A, file).refusal()).isEqualTo(DelegationTable.Refusal.NONE);
    }

    @Test
    void revokeExpiredRecalls_unansweredForALease_revokesUntilFreed() {
        Delegation d = table.grantRead(A, file).delegation();
        table.recallConflicting(B, file, recalled::add);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(table.revokeExpiredRecalls()).isZero();

        clock.advance(Duration.ofSeconds(1));

        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.test(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);
        assertThat(table.hasRevoked(A)).isTrue();
        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
        assertThat(table.delegReturn(A, file, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);

        assertThat(table.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(table.hasRevoked(A)).isFalse();
        assertThat(table.test(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void recallConflicting_recallExpired_revokesLazilyAndProceeds() {
        Delegation d = table.grantRead(A, file).delegation();
        table.recallConflicting(B, file, recalled::add);
        clock.advance(LEASE);

        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(recalled).hasSize(1);
    }

    @Test
    void free_liveDelegation_locksHeld() {
        Delegation d = table.grantRead(A, file).delegation();

        assertThat(table.free(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
    }

    @Test
    void releaseClient_holdsDelegations_revokesAndForgetsThem() {
        Delegation d = table.grantRead(A, file).delegation();
        Delegation e = table.grantRead(A, other).delegation();

        assertThat(table.step()).isEqualTo(TeardownStep.REVOKE_DELEGATIONS);
        assertThat(table.hasState(A)).isTrue();
        table.releaseClient(A);
        table.releaseClient(A);

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(e.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.hasState(A)).isFalse();
        assertThat(table.liveCount()).isZero();
        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
        assertThat(table.test(A, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void releaseClient_whileRecalling_recallOfForgottenDelegationNotRestarted() {
        Delegation d = table.grantRead(A, file).delegation();
        table.recallConflicting(B, file, recalled::add);

        table.releaseClient(A);

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
        assertThat(recalled).containsExactly(d);
    }

    // row 05 of callback-races.md: a lease breaks (a conflicting request) between granting a
    // delegation and publishing it. Publication is atomic with creation under the table's lock, so
    // a recall walks only published delegations; the two orders a conflicting writer can take
    // around a grant are driven below.

    @Test
    void race05_writerCheckedBeforeGrant_grantToOtherClientRefusedForCooldown_nothingUnpublishedRecalled() {
        assertThat(table.recallConflicting(B, file, recalled::add)).as("nothing yet: the writer proceeds").isFalse();

        DelegationTable.Grant g = table.grantRead(A, file);

        assertThat(g.delegation()).isNull();
        assertThat(g.refusal()).isEqualTo(DelegationTable.Refusal.CONTENTION);
        assertThat(table.liveCount()).isZero();
        assertThat(recalled).isEmpty();
        assertThat(table.grantRead(B, file).delegation()).as("the writer's own grants are not refused").isNotNull();
        clock.advance(COOLDOWN);
        table.revokeExpiredRecalls();
        assertThat(table.grantRead(A, file).delegation()).as("after the cooldown").isNotNull();
    }

    @Test
    void race05_writerRegisteredWhileGrantPublished_recalledOnlyOncePublished_thenWithdrawn() {
        List<Delegation> publishedWhenRecalled = new ArrayList<>();
        DelegationTable.Grant g = table.grantRead(A, file);
        assertThat(g.created()).isTrue();
        // between the publish and OPEN's re-check: the writer's recall check runs, then its open registers
        table.recallConflicting(B, file, d -> {
            publishedWhenRecalled.add(table.find(A, d.stateId()));
            recalled.add(d);
        });
        // OPEN's re-check sees the writer's open: the grant is withdrawn
        table.withdraw(g.delegation());

        assertThat(recalled).containsExactly(g.delegation());
        assertThat(publishedWhenRecalled).as("only a published delegation reaches a recall list")
                .containsExactlyElementsOf(recalled);
        Delegation withdrawn = recalled.get(0);
        assertThat(withdrawn.isLive()).isFalse();
        assertThat(table.liveCount()).isZero();
        assertThat(table.hasState(A)).isFalse();
        assertThat(table.test(A, withdrawn.stateId())).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(new RecallCallback(withdrawn, table).prepare()).as("its CB_RECALL is skipped").isEmpty();
        assertThat(table.recallConflicting(B, file, recalled::add)).isFalse();
    }

    @Test
    void grantRead_existingDelegation_notCreatedSoNeverWithdrawnByTheCaller() {
        Delegation d = table.grantRead(A, file).delegation();

        DelegationTable.Grant again = table.grantRead(A, file);

        assertThat(again.delegation()).isSameAs(d);
        assertThat(again.created()).as("the client already holds it: the caller must not withdraw it").isFalse();
    }

    @Test
    void revokeExpiredRecalls_prunesRecallAndConflictMarksAfterCooldown() {
        Delegation d = table.grantRead(A, file).delegation();
        table.recallConflicting(B, file, recalled::add);
        table.delegReturn(A, file, d.stateId());
        clock.advance(COOLDOWN);

        table.revokeExpiredRecalls();

        assertThat(table.grantRead(A, file).delegation()).isNotNull();
    }
}

package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_WRITE;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class OpenStatesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final long C1 = 0x100;
    private static final long C2 = 0x200;
    private static final FileHandle F1 = new FileHandle(1, new Inode(new byte[] {1}));
    private static final FileHandle F2 = new FileHandle(1, new Inode(new byte[] {2}));

    private final OpenStates opens = new OpenStates(ServerConfig.defaults(), CLOCK, 0x1234);

    private static OpenOwner owner(long client, String name) {
        return new OpenOwner(client, name.getBytes(StandardCharsets.UTF_8));
    }

    private static NfsStatus statusOf(ThrowingRunnable r) {
        try {
            r.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    interface ThrowingRunnable {
        void run() throws NfsException;
    }

    @Test
    void open_new_hasSeqidOneAndEpochInOther() throws NfsException {
        OpenShare s = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        assertThat(s.stateId().seqid()).isEqualTo(1);
        assertThat(s.stateId().other()).startsWith(0, 0, 0x12, 0x34);
        assertThat(s.access()).isEqualTo(ACCESS_READ);
        assertThat(opens.openCount(C1)).isEqualTo(1);
    }

    @Test
    void open_sameOwnerSameFile_upgradesWithSameOtherAndNextSeqid() throws NfsException {
        OpenShare first = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        OpenShare second = opens.open(C1, owner(C1, "a"), F1, ACCESS_WRITE, DENY_WRITE);
        assertThat(second.stateId().other()).isEqualTo(first.stateId().other());
        assertThat(second.stateId().seqid()).isEqualTo(2);
        assertThat(second.access()).isEqualTo(ACCESS_BOTH);
        assertThat(second.deny()).isEqualTo(DENY_WRITE);
        assertThat(opens.openCount(C1)).isEqualTo(1);
    }

    @Test
    void open_differentOwnersOrFiles_getDistinctStateids() throws NfsException {
        OpenShare a = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        OpenShare b = opens.open(C1, owner(C1, "b"), F1, ACCESS_READ, DENY_NONE);
        OpenShare c = opens.open(C1, owner(C1, "a"), F2, ACCESS_READ, DENY_NONE);
        assertThat(List.of(a.stateId().key(), b.stateId().key(), c.stateId().key())).doesNotHaveDuplicates();
    }

    @Test
    void open_denyConflictsAcrossOwnersAndClients_shareDenied() throws NfsException {
        opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_WRITE);
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_WRITE, DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        assertThat(statusOf(() -> opens.open(C1, owner(C1, "b"), F1, ACCESS_WRITE, DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        // the new open's deny against the existing access
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_READ, DENY_READ)))
                .isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        // compatible: read, deny write
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_READ, DENY_WRITE)))
                .isEqualTo(NfsStatus.NFS4_OK);
        // another file is unaffected
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F2, ACCESS_BOTH, DENY_BOTH)))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void open_conflictGoneAfterClose_succeeds() throws NfsException {
        OpenShare a = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_BOTH);
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_READ, DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        opens.close(C1, a.stateId(), F1);
        assertThat(opens.isOpen(F1)).isFalse();
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_READ, DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void open_invalidModes_inval() {
        assertThat(statusOf(() -> opens.open(C1, owner(C1, "a"), F1, 0, DENY_NONE))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(statusOf(() -> opens.open(C1, owner(C1, "a"), F1, 4, DENY_NONE))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(statusOf(() -> opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, 4))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void open_ownerOfOtherClient_isRejected() {
        assertThatThrownBy(() -> opens.open(C1, owner(C2, "a"), F1, ACCESS_READ, DENY_NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validate_seqidRules_zeroCurrentOlderOldNewerBad() throws NfsException {
        OpenShare s1 = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        opens.open(C1, owner(C1, "a"), F1, ACCESS_WRITE, DENY_NONE);
        StateId sid = s1.stateId();
        assertThat(opens.validate(C1, sid.withSeqid(2), F1).access()).isEqualTo(ACCESS_BOTH);
        assertThat(opens.validate(C1, sid.withSeqid(0), F1).stateId().seqid()).isEqualTo(2);
        assertThat(statusOf(() -> opens.validate(C1, sid.withSeqid(1), F1))).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        assertThat(statusOf(() -> opens.validate(C1, sid.withSeqid(3), F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void validate_otherFileOtherClientUnknownSpecial_badStateid() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        assertThat(statusOf(() -> opens.validate(C1, sid, F2))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(statusOf(() -> opens.validate(C2, sid, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        byte[] other = sid.other();
        other[11] ^= 0x55;
        assertThat(statusOf(() -> opens.validate(C1, new StateId(1, other), F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(statusOf(() -> opens.validate(C1, StateId.ANONYMOUS, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(statusOf(() -> opens.validate(C1, StateId.READ_BYPASS, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void validate_stateidOfAnotherInstance_staleStateid() throws NfsException {
        OpenStates other = new OpenStates(ServerConfig.defaults(), CLOCK, 0x9999);
        StateId foreign = other.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        assertThat(statusOf(() -> opens.validate(C1, foreign, F1))).isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
    }

    @Test
    void twoInstancesWithDefaultEpoch_issueDifferentOthers() throws NfsException {
        OpenStates a = new OpenStates(ServerConfig.defaults(), CLOCK);
        OpenStates b = new OpenStates(ServerConfig.defaults(), CLOCK);
        StateId sa = a.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        StateId sb = b.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        assertThat(sa.other()).isNotEqualTo(sb.other());
        assertThat(statusOf(() -> b.validate(C1, sa, F1))).isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
    }

    @Test
    void close_thenValidateOrCloseAgain_badStateid() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        opens.close(C1, sid, F1);
        assertThat(statusOf(() -> opens.validate(C1, sid, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(statusOf(() -> opens.close(C1, sid, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(opens.openCount(C1)).isZero();
    }

    @Test
    void close_oldSeqid_oldStateidAndStillOpen() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        assertThat(statusOf(() -> opens.close(C1, sid, F1))).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        assertThat(opens.openCount(C1)).isEqualTo(1);
    }

    @Test
    void downgrade_toSubset_reducesAndBumpsSeqid() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_BOTH, DENY_WRITE).stateId();
        OpenShare d = opens.downgrade(C1, sid, F1, ACCESS_READ, DENY_NONE);
        assertThat(d.stateId().seqid()).isEqualTo(2);
        assertThat(d.access()).isEqualTo(ACCESS_READ);
        assertThat(d.deny()).isEqualTo(DENY_NONE);
        // the released deny no longer blocks a writer
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_WRITE, DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void downgrade_notSubsetOrEmpty_inval() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        assertThat(statusOf(() -> opens.downgrade(C1, sid, F1, ACCESS_BOTH, DENY_NONE))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(statusOf(() -> opens.downgrade(C1, sid, F1, ACCESS_READ, DENY_READ))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(statusOf(() -> opens.downgrade(C1, sid, F1, 0, DENY_NONE))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(opens.validate(C1, sid, F1).stateId().seqid()).isEqualTo(1);
    }

    @Test
    void checkNoDeny_specialStateidAgainstDeny_locked() throws NfsException {
        opens.checkNoDeny(F1, ACCESS_WRITE);
        opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_WRITE);
        assertThat(statusOf(() -> opens.checkNoDeny(F1, ACCESS_WRITE))).isEqualTo(NfsStatus.NFS4ERR_LOCKED);
        assertThat(statusOf(() -> opens.checkNoDeny(F1, ACCESS_READ))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void test_variousStateids_statusPerStateid() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE);
        assertThat(opens.test(C1, sid.withSeqid(2))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(opens.test(C1, sid.withSeqid(0))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(opens.test(C1, sid)).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        assertThat(opens.test(C2, sid.withSeqid(2))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(opens.test(C1, StateId.ANONYMOUS)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(opens.test(C1, new StateId(1, new byte[] {9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 1})))
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void free_openStateid_locksHeld_unknown_badStateid() throws NfsException {
        StateId sid = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_NONE).stateId();
        assertThat(opens.free(C1, sid)).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(opens.openCount(C1)).isEqualTo(1);
        opens.close(C1, sid, F1);
        assertThat(opens.free(C1, sid)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void releaseClient_dropsItsOpensAndShareReservations_only() throws NfsException {
        StateId a = opens.open(C1, owner(C1, "a"), F1, ACCESS_READ, DENY_BOTH).stateId();
        opens.open(C1, owner(C1, "b"), F2, ACCESS_READ, DENY_NONE);
        StateId other = opens.open(C2, owner(C2, "x"), F2, ACCESS_READ, DENY_NONE).stateId();
        opens.releaseClient(C1);
        assertThat(opens.openCount(C1)).isZero();
        assertThat(statusOf(() -> opens.validate(C1, a, F1))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(opens.isOpen(F1)).isFalse();
        assertThat(opens.validate(C2, other, F2).access()).isEqualTo(ACCESS_READ);
        assertThat(statusOf(() -> opens.open(C2, owner(C2, "x"), F1, ACCESS_BOTH, DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4_OK);
        opens.releaseClient(C1); // idempotent
    }

    @Test
    void concurrentOpensAndCloses_leaveNoStateBehind() throws Exception {
        int threads = 8;
        int rounds = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long client = 0x1000 + t;
                results.add(pool.submit(() -> {
                    start.await();
                    int denied = 0;
                    for (int i = 0; i < rounds; i++) {
                        FileHandle f = i % 2 == 0 ? F1 : F2;
                        try {
                            OpenShare s = opens.open(client, owner(client, "o"), f, ACCESS_BOTH,
                                    i % 3 == 0 ? DENY_WRITE : DENY_NONE);
                            opens.validate(client, s.stateId(), f);
                            opens.close(client, s.stateId(), f);
                        } catch (NfsException e) {
                            assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
                            denied++;
                        }
                    }
                    return denied;
                }));
            }
            start.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get()).isBetween(0, rounds);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(opens.isOpen(F1)).isFalse();
        assertThat(opens.isOpen(F2)).isFalse();
        for (int t = 0; t < threads; t++) {
            assertThat(opens.openCount(0x1000 + t)).isZero();
        }
    }

    @Test
    void releaseClient_concurrentWithOpens_leavesNoOrphanShareReservations() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<FileHandle> handles = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            handles.add(new FileHandle(1, new Inode(new byte[] {9, (byte) i})));
        }
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 400; i++) {
                        try {
                            opens.open(C1, owner(C1, "o" + id), handles.get(i % handles.size()), ACCESS_READ, DENY_NONE);
                        } catch (NfsException e) {
                            assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
                        }
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    opens.releaseClient(C1);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        opens.releaseClient(C1);
        assertThat(opens.openCount(C1)).isZero();
        for (FileHandle f : handles) {
            assertThat(opens.isOpen(f)).as("share state of %s", f).isFalse();
        }
    }
}

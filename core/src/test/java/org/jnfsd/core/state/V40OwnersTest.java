package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.ManualScheduler;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

/**
 * {@link V40Owners} on a manual clock: the next seqid runs, the last one replays the recorded
 * reply without running, any other is NFS4ERR_BAD_SEQID; errors that do not advance the seqid are
 * not recorded; a turn holds the owner's lock from begin to finish or abandon (once); idle owners
 * with nothing live expire at exactly the idle time; a client's owners go at its teardown.
 */
class V40OwnersTest {
    static final Duration LEASE = Duration.ofSeconds(90);
    static final long CLIENT = 0x1234L;
    static final FileHandle FH = new FileHandle(7, new Inode(new byte[] {1, 2, 3}));

    private final ManualScheduler clock = new ManualScheduler();
    private final V40Owners owners = new V40Owners(clock, LEASE);
    private final V40Owners.Key open = V40Owners.Key.of(CLIENT, V40Owners.Kind.OPEN, new byte[] {9, 8});

    /** Locks (ownable synchronizers) the test thread holds right now. */
    private static int locksHeld() {
        return ManagementFactory.getThreadMXBean()
                .getThreadInfo(new long[] {Thread.currentThread().threadId()}, false, true)[0]
                .getLockedSynchronizers().length;
    }

    /** Runs one operation of {@code key} with {@code seqid} that ends in {@code status}. */
    private void run(V40Owners.Key key, int seqid, NfsStatus status, byte[] result) throws NfsException {
        V40Owners.Turn t = owners.begin(key, seqid);
        assertThat(t.replay()).as("seqid %d runs", seqid).isNull();
        t.finish(status, result, FH);
    }

    @Test
    void begin_newOwner_startsAtTheClientsSeqid_nextRuns_lastReplaysItsReplyByteForByte() throws Exception {
        run(open, 41, NfsStatus.NFS4_OK, new byte[] {1});

        V40Owners.Turn next = owners.begin(open, 42);
        assertThat(next.replay()).isNull();
        next.finish(NfsStatus.NFS4_OK, new byte[] {2, 2}, FH);

        V40Owners.Turn again = owners.begin(open, 42);
        assertThat(again.replay()).isNotNull();
        assertThat(again.replay().result()).containsExactly(2, 2);
        assertThat(again.replay().fh()).isEqualTo(FH);
        again.finish(NfsStatus.NFS4_OK, new byte[] {3}, null); // a replay records nothing

        V40Owners.Turn third = owners.begin(open, 42);
        assertThat(third.replay().result()).as("still the reply of the run").containsExactly(2, 2);
        third.abandon();
        assertThat(locksHeld()).isZero();
    }

    @Test
    void begin_seqidNeitherNextNorLast_badSeqid_namesTheExpected_ownerReleased() throws Exception {
        run(open, 5, NfsStatus.NFS4_OK, new byte[] {1});

        for (int bad : new int[] {4, 7, 0}) {
            assertThatThrownBy(() -> owners.begin(open, bad)).isInstanceOf(NfsException.class)
                    .satisfies(e -> assertThat(((NfsException) e).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_SEQID))
                    .hasMessageContaining("seqid " + bad).hasMessageContaining("expected 6")
                    .hasMessageContaining("OPEN owner 0908").hasMessageContaining("client 1234");
            assertThat(locksHeld()).as("BAD_SEQID releases the owner").isZero();
        }
        run(open, 6, NfsStatus.NFS4_OK, new byte[] {2}); // the sequence goes on
    }

    @Test
    void badSeqid_unsignedSeqids_wrapAfterTheMaximum() throws Exception {
        run(open, -1, NfsStatus.NFS4_OK, new byte[] {1}); // 4294967295
        assertThatThrownBy(() -> owners.begin(open, 5)).hasMessageContaining("expected 0")
                .hasMessageContaining("seqid 5");
        run(open, 0, NfsStatus.NFS4_OK, new byte[] {2}); // the next after the maximum
        assertThatThrownBy(() -> owners.begin(open, -2)).hasMessageContaining("seqid 4294967294");
    }

    @Test
    void finish_statusThatDoesNotAdvance_notRecorded_seqidReusable() throws Exception {
        run(open, 1, NfsStatus.NFS4_OK, new byte[] {1});
        for (NfsStatus s : List.of(NfsStatus.NFS4ERR_BAD_STATEID, NfsStatus.NFS4ERR_STALE_CLIENTID,
                NfsStatus.NFS4ERR_STALE_STATEID, NfsStatus.NFS4ERR_BAD_SEQID, NfsStatus.NFS4ERR_BADXDR,
                NfsStatus.NFS4ERR_RESOURCE, NfsStatus.NFS4ERR_NOFILEHANDLE, NfsStatus.NFS4ERR_MOVED)) {
            run(open, 2, s, new byte[] {9}); // 2 is still the next one: not a replay
        }
        V40Owners.Turn replay = owners.begin(open, 1);
        assertThat(replay.replay().result()).containsExactly(1);
        replay.abandon();
    }

    @Test
    void finish_errorThatAdvances_recorded_replayedToo() throws Exception {
        run(open, 1, NfsStatus.NFS4ERR_SHARE_DENIED, new byte[] {4});
        V40Owners.Turn replay = owners.begin(open, 1);
        assertThat(replay.replay().result()).containsExactly(4);
        replay.abandon();
    }

    @Test
    void finishAndAbandon_idempotent_lockReleasedOnce_secondCallRecordsNothing() throws Exception {
        V40Owners.Turn t = owners.begin(open, 1);
        assertThat(locksHeld()).as("the turn holds the owner").isEqualTo(1);
        t.finish(NfsStatus.NFS4_OK, new byte[] {1}, FH);
        t.finish(NfsStatus.NFS4_OK, new byte[] {2}, FH); // would unlock twice and re-record
        t.abandon();
        assertThat(locksHeld()).isZero();

        V40Owners.Turn r = owners.begin(open, 1);
        assertThat(r.replay().result()).containsExactly(1);
        r.abandon();
        r.abandon();
        r.finish(NfsStatus.NFS4_OK, new byte[] {3}, FH);
        assertThat(locksHeld()).isZero();

        V40Owners.Turn a = owners.begin(open, 2);
        a.abandon();
        assertThat(locksHeld()).isZero();
        V40Owners.Turn stillNext = owners.begin(open, 2);
        assertThat(stillNext.replay()).as("an abandoned turn records nothing").isNull();
        stillNext.abandon();
    }

    @Test
    void begin_ownerInUse_waitsForTheTurnToFinish_thenGetsItsReply() throws Exception {
        V40Owners.Turn original = owners.begin(open, 1);
        AtomicReference<V40Owners.Reply> seen = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread retransmission = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                V40Owners.Turn t = owners.begin(open, 1);
                seen.set(t.replay());
                t.abandon();
            } catch (NfsException e) {
                throw new AssertionError(e);
            }
        });
        started.await();
        while (retransmission.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // parked on the owner's lock
        }
        assertThat(seen.get()).isNull();
        original.finish(NfsStatus.NFS4_OK, new byte[] {5}, FH);
        retransmission.join();

        assertThat(seen.get()).as("the retransmission got the original's reply").isNotNull();
        assertThat(seen.get().result()).containsExactly(5);
    }

    @Test
    void remove_forgetsTheOwner_nextRequestStartsAnew() throws Exception {
        run(open, 10, NfsStatus.NFS4_OK, new byte[] {1});
        owners.remove(open);
        owners.remove(open); // unknown: nothing
        assertThat(owners.isKnown(open)).isFalse();
        assertThat(locksHeld()).isZero();

        run(open, 3, NfsStatus.NFS4_OK, new byte[] {2}); // any seqid starts it again
        assertThat(owners.isKnown(open)).isTrue();
    }

    @Test
    void remove_whileATurnRuns_theTurnsRecordPutsItBack() throws Exception {
        run(open, 1, NfsStatus.NFS4_OK, new byte[] {1});
        V40Owners.Turn t = owners.begin(open, 2);
        owners.remove(open);
        assertThat(owners.isKnown(open)).isFalse();
        t.finish(NfsStatus.NFS4_OK, new byte[] {2}, FH);

        assertThat(owners.isKnown(open)).as("re-entered by the turn that advanced it").isTrue();
        run(open, 3, NfsStatus.NFS4_OK, new byte[] {3});
        owners.remove(open);
        V40Owners.Turn abandoned = owners.begin(open, 4);
        owners.remove(open);
        abandoned.finish(NfsStatus.NFS4ERR_BAD_STATEID, new byte[0], null); // not recorded: not put back
        assertThat(owners.isKnown(open)).isFalse();
    }

    @Test
    void expireIdle_exactlyAtTheIdleTime_notBefore_onlyWithNothingLive() throws Exception {
        V40Owners.Key lock = V40Owners.Key.of(CLIENT, V40Owners.Kind.LOCK, new byte[] {1});
        run(open, 1, NfsStatus.NFS4_OK, new byte[] {1});
        run(lock, 1, NfsStatus.NFS4_OK, new byte[] {1});

        clock.advance(LEASE.minusMillis(1));
        assertThat(owners.expireIdle(k -> false)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(owners.expireIdle(k -> k.equals(lock))).as("the lock owner still has a lock").containsExactly(open);

        assertThat(owners.isKnown(open)).isFalse();
        assertThat(owners.isKnown(lock)).isTrue();
        assertThat(owners.size()).isEqualTo(1);
        run(open, 7, NfsStatus.NFS4_OK, new byte[] {2}); // an expired owner starts anew
    }

    @Test
    void expireIdle_lastUseIsTheLatestBeginOrFinish() throws Exception {
        V40Owners.Turn t = owners.begin(open, 1);
        clock.advance(LEASE.minusMillis(1));
        t.finish(NfsStatus.NFS4_OK, new byte[] {1}, FH); // used now
        clock.advance(Duration.ofMillis(2));
        assertThat(owners.expireIdle(k -> false)).as("used by the finish").isEmpty();

        clock.advance(LEASE.minusMillis(3));
        V40Owners.Turn replay = owners.begin(open, 1); // a retransmission uses it too
        replay.abandon();
        clock.advance(Duration.ofMillis(2));
        assertThat(owners.expireIdle(k -> false)).as("used by the replay").isEmpty();

        V40Owners.Key fresh = V40Owners.Key.of(CLIENT, V40Owners.Kind.OPEN, new byte[] {5});
        owners.begin(fresh, 1).abandon(); // begun, never recorded: its begin counts as a use
        clock.advance(LEASE.minusMillis(1));
        assertThat(owners.expireIdle(k -> false)).containsExactly(open);
        clock.advance(Duration.ofMillis(1));
        assertThat(owners.expireIdle(k -> false)).containsExactly(fresh);
        assertThat(owners.size()).isZero();
    }

    @Test
    void expireIdle_ownerInUse_skipped() throws Exception {
        run(open, 1, NfsStatus.NFS4_OK, new byte[] {1});
        clock.advance(LEASE.multipliedBy(2));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread user = Thread.ofPlatform().start(() -> {
            try {
                V40Owners.Turn t = owners.begin(open, 2);
                holding.countDown();
                done.await();
                t.abandon();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        holding.await();
        try {
            assertThat(owners.expireIdle(k -> false)).isEmpty();
            assertThat(owners.isKnown(open)).isTrue();
        } finally {
            done.countDown();
            user.join();
        }
        assertThat(owners.expireIdle(k -> false)).containsExactly(open);
    }

    @Test
    void releaseClient_dropsOnlyThatClientsOwners_atDropTables_neverBusy() throws Exception {
        V40Owners.Key other = V40Owners.Key.of(CLIENT + 1, V40Owners.Kind.OPEN, new byte[] {9, 8});
        V40Owners.Key lock = V40Owners.Key.of(CLIENT, V40Owners.Kind.LOCK, new byte[] {9, 8});
        run(open, 1, NfsStatus.NFS4_OK, new byte[] {1});
        run(lock, 1, NfsStatus.NFS4_OK, new byte[] {1});
        run(other, 1, NfsStatus.NFS4_OK, new byte[] {1});

        assertThat(owners.hasState(CLIENT)).isFalse();
        owners.releaseClient(CLIENT);

        assertThat(owners.isKnown(open)).isFalse();
        assertThat(owners.isKnown(lock)).isFalse();
        assertThat(owners.isKnown(other)).isTrue();
        assertThat(owners.size()).isEqualTo(1);
        assertThat(owners.step()).isEqualTo(TeardownStep.DROP_TABLES);
    }

    @Test
    void key_ownerBytesRoundTrip_kindAndClientTellKeysApart() {
        assertThat(open.ownerBytes()).containsExactly(9, 8);
        assertThat(open.owner()).isEqualTo("0908");
        assertThat(V40Owners.Key.of(CLIENT, V40Owners.Kind.LOCK, new byte[] {9, 8})).isNotEqualTo(open);
        assertThat(V40Owners.Key.of(CLIENT, V40Owners.Kind.OPEN, new byte[] {9, 8})).isEqualTo(open);
    }
}

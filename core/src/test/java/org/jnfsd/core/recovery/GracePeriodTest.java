package org.jnfsd.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.junit.jupiter.api.Test;
import org.jnfsd.core.time.ManualClock;

/** Every rule of {@link GracePeriod}, over an in-memory store and a manual clock. */
class GracePeriodTest {
    private static final Duration GRACE = Duration.ofSeconds(90);
    private static final byte[] A = "client-a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "client-b".getBytes(StandardCharsets.UTF_8);
    private static final byte[] C = "client-c".getBytes(StandardCharsets.UTF_8);

    private final ManualClock clock = new ManualClock();
    private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();

    /** A server instance that started (its port bound): its epoch opened now. */
    private GracePeriod boot() {
        GracePeriod g = new GracePeriod(store, clock, GRACE);
        g.open();
        return g;
    }

    /** A first server instance in which the given owners obtained state; then it "stops". */
    private void previousInstanceWith(byte[]... owners) {
        GracePeriod first = boot();
        long id = 1;
        for (byte[] o : owners) {
            first.stateGranted(id++, o, "sys:0@host", false);
        }
    }

    private static NfsStatus statusOf(ThrowingRunnable r) {
        try {
            r.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws NfsException;
    }

    @Test
    void constructor_freshStore_noGrace() {
        GracePeriod g = boot();

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
        assertThatCode(() -> g.checkNotInGrace("OPEN")).doesNotThrowAnyException();
        assertThat(statusOf(() -> g.checkReclaim(1, A))).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
    }

    @Test
    void constructor_previousRecords_inGraceRefusesNonReclaim() {
        previousInstanceWith(A);
        GracePeriod g = boot();

        assertThat(g.state()).isEqualTo(GracePeriod.State.IN_GRACE);
        assertThat(statusOf(() -> g.checkNotInGrace("OPEN"))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(statusOf(() -> g.check(7, A, false, "LOCK"))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
    }

    @Test
    void checkReclaim_recordedClientInGrace_allowed() {
        previousInstanceWith(A);
        GracePeriod g = boot();

        assertThatCode(() -> g.checkReclaim(7, A)).doesNotThrowAnyException();
        assertThatCode(() -> g.check(7, A, true, "LOCK")).doesNotThrowAnyException();
    }

    @Test
    void checkReclaim_unknownClient_noGrace() {
        previousInstanceWith(A);
        GracePeriod g = boot();

        assertThat(statusOf(() -> g.checkReclaim(8, B))).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        assertThat(g.inGrace()).isTrue();
    }

    @Test
    void checkReclaim_afterOwnReclaimComplete_noGrace() {
        previousInstanceWith(A, B);
        GracePeriod g = boot();

        g.reclaimComplete(7, A);

        assertThat(g.inGrace()).as("B has not completed").isTrue();
        assertThat(statusOf(() -> g.checkReclaim(7, A))).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        assertThatCode(() -> g.checkReclaim(8, B)).doesNotThrowAnyException();
    }

    @Test
    void state_deadlinePassed_endsAndReclaimGetsNoGrace() {
        previousInstanceWith(A);
        GracePeriod g = boot();

        clock.advance(GRACE.minusMillis(1));
        assertThat(g.inGrace()).isTrue();
        clock.advance(Duration.ofMillis(1));

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
        assertThat(statusOf(() -> g.checkReclaim(7, A))).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        assertThatCode(() -> g.checkNotInGrace("OPEN")).doesNotThrowAnyException();
    }

    @Test
    void reclaimComplete_everyRecordedClient_endsGraceEarly() {
        previousInstanceWith(A, B);
        GracePeriod g = boot();

        g.reclaimComplete(7, A);
        assertThat(g.inGrace()).isTrue();
        g.reclaimComplete(8, B);

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
    }

    @Test
    void reclaimComplete_unknownClient_doesNotEndGrace() {
        previousInstanceWith(A);
        GracePeriod g = boot();

        g.reclaimComplete(9, C);

        assertThat(g.inGrace()).isTrue();
    }

    @Test
    void end_clientsThatDidNotReturn_loseTheirRecords() {
        previousInstanceWith(A, B);
        GracePeriod g = boot();
        assertThatCode(() -> g.checkReclaim(7, A)).doesNotThrowAnyException();
        g.stateGranted(7, A, "sys:0@host", true); // A reclaimed an open

        clock.advance(GRACE);

        assertThat(g.inGrace()).isFalse();
        assertThat(g.reclaims()).isEqualTo(1);
        assertThat(store.all()).extracting(ReclaimableClient::ownerKey)
                .containsExactly(new ReclaimableClient(A, "").ownerKey());
        GracePeriod next = boot();
        assertThat(statusOf(() -> next.checkReclaim(1, B))).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        assertThatCode(() -> next.checkReclaim(1, A)).doesNotThrowAnyException();
    }

    @Test
    void boot_twiceWithoutClientsReturning_keepsFirstGenerationRecords() {
        previousInstanceWith(A);
        GracePeriod second = boot();
        assertThat(second.inGrace()).isTrue();
        // the second instance stops before its grace ends and before A comes back

        GracePeriod third = boot();

        assertThat(third.inGrace()).isTrue();
        assertThatCode(() -> third.checkReclaim(1, A)).doesNotThrowAnyException();
    }

    @Test
    void boot_afterAGraceThatCompleted_recordsOfAbsentClientsGone() {
        previousInstanceWith(A);
        GracePeriod second = boot();
        clock.advance(GRACE);
        assertThat(second.inGrace()).isFalse();

        GracePeriod third = boot();

        assertThat(third.state()).isEqualTo(GracePeriod.State.ENDED);
    }

    @Test
    void clientDestroyed_recordedClient_forgotten() {
        GracePeriod g = boot();
        g.stateGranted(1, A, "sys:0@host", false);
        g.stateGranted(2, B, "sys:0@host", false);

        g.clientDestroyed(1);

        assertThat(store.all()).extracting(ReclaimableClient::ownerKey)
                .containsExactly(new ReclaimableClient(B, "").ownerKey());
    }

    @Test
    void clientDestroyed_olderClientOfAnOwnerRecordedAgain_keepsNewerRecord() {
        GracePeriod g = boot();
        g.stateGranted(1, A, "sys:0@host", false);
        g.stateGranted(2, A, "sys:0@host", false); // the owner's new client (e.g. after it rebooted)

        g.clientDestroyed(1);

        assertThat(store.all()).hasSize(1);
    }

    @Test
    void stateGranted_secondTime_writesOnce() {
        CountingStore counting = new CountingStore();
        GracePeriod g = new GracePeriod(counting, clock, GRACE);

        g.stateGranted(1, A, "p", false);
        g.stateGranted(1, A, "p", false);

        assertThat(counting.records).isEqualTo(1);
    }

    /** Counts writes; otherwise an empty store. */
    private static final class CountingStore implements RecoveryStore {
        int records;

        @Override
        public List<ReclaimableClient> beginEpoch() {
            return List.of();
        }

        @Override
        public void record(ReclaimableClient client) {
            records++;
        }

        @Override
        public void remove(byte[] ownerId) {}

        @Override
        public void endGrace() {}

        @Override
        public void close() {}
    }
}

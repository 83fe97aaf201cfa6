package org.jnfsd.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.time.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * {@link GracePeriod}'s extension while clients of the previous epoch are still reclaiming (issue
 * 17, as knfsd's clients_still_reclaiming): one lease more at a time, never past three leases in
 * all, only when one reclaimed or completed within the last step; over an in-memory store and a
 * manual clock.
 */
class GracePeriodExtensionTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration GRACE = LEASE;
    private static final byte[] A = "client-a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "client-b".getBytes(StandardCharsets.UTF_8);

    private final ManualClock clock = new ManualClock();
    private final InMemoryRecoveryStore store = new InMemoryRecoveryStore();

    private GracePeriod boot() {
        GracePeriod g = new GracePeriod(store, clock, GRACE, LEASE);
        g.open();
        return g;
    }

    private void previousInstanceWith(byte[]... owners) {
        GracePeriod first = boot();
        long id = 1;
        for (byte[] o : owners) {
            first.stateGranted(id++, o, "sys:0@host", false);
        }
    }

    @Test
    void deadline_nobodyReclaimed_endsOnTime() {
        previousInstanceWith(A, B);
        GracePeriod g = boot();

        clock.advance(GRACE);

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
        assertThat(g.extensions()).isZero();
    }

    @Test
    void deadline_aClientReclaimedInTheLastLease_othersPending_extendsByALease() throws NfsException {
        previousInstanceWith(A, B);
        GracePeriod g = boot();
        clock.advance(GRACE.minusSeconds(1));
        g.checkReclaim(10, A);
        g.stateGranted(10, A, "sys:0@host", true);

        clock.advance(Duration.ofSeconds(1));

        assertThat(g.state()).as("B has not completed, A was still reclaiming").isEqualTo(GracePeriod.State.IN_GRACE);
        assertThat(g.extensions()).isEqualTo(1);
        clock.advance(LEASE.minusSeconds(1));
        assertThat(g.state()).isEqualTo(GracePeriod.State.IN_GRACE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(g.state()).as("nobody reclaimed in the extension").isEqualTo(GracePeriod.State.ENDED);
        assertThat(g.extensions()).isEqualTo(1);
    }

    @Test
    void extensions_reclaimingGoesOnForever_boundedByThreeLeases() throws NfsException {
        previousInstanceWith(A, B);
        GracePeriod g = boot();
        Duration step = Duration.ofSeconds(30);
        Duration elapsed = Duration.ZERO;
        while (g.state() == GracePeriod.State.IN_GRACE && elapsed.compareTo(LEASE.multipliedBy(10)) < 0) {
            g.checkReclaim(10, A); // A keeps reclaiming, B never comes
            clock.advance(step);
            elapsed = elapsed.plus(step);
        }

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
        assertThat(elapsed).as("ended at the cap").isEqualTo(LEASE.multipliedBy(3));
        assertThat(g.extensions()).isEqualTo(2);
    }

    @Test
    void reclaimComplete_ofTheLastPendingClient_endsAtOnceEvenAfterExtensions() throws NfsException {
        previousInstanceWith(A, B);
        GracePeriod g = boot();
        clock.advance(GRACE.minusSeconds(1));
        g.checkReclaim(10, A);
        g.reclaimComplete(10, A);
        clock.advance(Duration.ofSeconds(1));
        assertThat(g.state()).isEqualTo(GracePeriod.State.IN_GRACE);

        g.reclaimComplete(11, B);

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
    }

    @Test
    void noLease_neverExtends() throws NfsException {
        previousInstanceWith(A, B);
        GracePeriod g = new GracePeriod(store, clock, GRACE);
        g.open();
        clock.advance(GRACE.minusSeconds(1));
        g.checkReclaim(10, A);

        clock.advance(Duration.ofSeconds(1));

        assertThat(g.state()).isEqualTo(GracePeriod.State.ENDED);
    }
}

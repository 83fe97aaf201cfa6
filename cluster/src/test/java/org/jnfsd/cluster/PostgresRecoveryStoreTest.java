package org.jnfsd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.ReclaimableClient;
import org.jnfsd.core.recovery.RecoveryStoreException;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PostgresRecoveryStore} against the real PostgreSQL of the tests, with real {@link GracePeriod}s. */
class PostgresRecoveryStoreTest {
    private static final Duration GRACE = Duration.ofSeconds(90);
    static final ReclaimableClient X = client("x");
    static final ReclaimableClient Y = client("y");

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase test;

    @BeforeEach
    void schema() throws Exception {
        test = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        test.close();
    }

    private static ReclaimableClient client(String name) {
        return new ReclaimableClient(name.getBytes(StandardCharsets.UTF_8), "sys:0@" + name);
    }

    /** A node's store on its own pool, as a node process opens it. */
    private PostgresRecoveryStore node(String nodeId, String service) {
        ClusterDatabase db = test.open();
        open.add(db);
        return new PostgresRecoveryStore(db, nodeId, service);
    }

    private static NfsStatus statusOf(Check r) {
        try {
            r.run();
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws NfsException;
    }

    @Test
    void beginEpoch_afterRestart_listsTheServicesClients() {
        PostgresRecoveryStore first = node("a", "s1");
        assertThat(first.beginEpoch()).isEmpty();
        first.record(X);
        first.record(Y);
        first.remove(Y.ownerId());
        node("b", "s2").beginEpoch(); // another service's node start does not mix in

        PostgresRecoveryStore again = node("a", "s1");
        assertThat(again.beginEpoch()).containsExactly(X);
        assertThat(again.epoch()).isGreaterThan(first.epoch());
    }

    @Test
    void record_keepsNodeAndEpoch_andReclaimComplete() throws Exception {
        PostgresRecoveryStore a = node("a", "s1");
        a.beginEpoch();
        a.record(X);
        a.reclaimComplete(X.ownerId());

        assertThat(test.queryLong("SELECT epoch FROM client WHERE node_id = 'a'")).isEqualTo(a.epoch());
        assertThat(test.queryLong("SELECT count(*) FROM client WHERE reclaim_complete")).isEqualTo(1);
        a.record(X); // re-recorded in a later epoch: the mark is for that epoch's reclaims
        assertThat(test.queryLong("SELECT count(*) FROM client WHERE reclaim_complete")).isZero();
    }

    @Test
    void endGrace_dropsClientsThatDidNotReturn() {
        PostgresRecoveryStore first = node("a", "s1");
        first.beginEpoch();
        first.record(X);
        first.record(Y);
        PostgresRecoveryStore second = node("a", "s1");
        assertThat(second.beginEpoch()).containsExactlyInAnyOrder(X, Y);
        second.record(X); // X came back

        second.endGrace();

        assertThat(node("a", "s1").beginEpoch()).containsExactly(X);
    }

    @Test
    void nodeRestart_startsClusterGrace_honouredByTheOtherNode_untilLifted() {
        PostgresRecoveryStore a = node("a", "s1");
        PostgresRecoveryStore b = node("b", "s2");
        a.beginEpoch();
        GracePeriod onB = new GracePeriod(b, clock, GRACE);
        onB.open();
        a.record(X);
        assertThat(onB.inGrace()).isFalse();

        PostgresRecoveryStore a2 = node("a", "s1"); // a restarts: X may reclaim
        GracePeriod onA = new GracePeriod(a2, clock, GRACE);
        onA.open();
        b.refresh();

        assertThat(onA.inGrace()).isTrue();
        assertThat(statusOf(() -> onB.checkNotInGrace("LOCK"))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        onA.reclaimComplete(1, X.ownerId()); // a's last client is done: a lifts its flag
        b.refresh();

        assertThat(onA.inGrace()).isFalse();
        assertThat(statusOf(() -> onB.checkNotInGrace("LOCK"))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void twoNodesInGrace_clusterGraceEndsOnlyWhenBothLifted() throws Exception {
        PostgresRecoveryStore a = node("a", "s1");
        PostgresRecoveryStore b = node("b", "s2");
        a.beginEpoch();
        b.beginEpoch();
        a.record(X);
        b.record(Y);
        GracePeriod onA = new GracePeriod(node("a", "s1"), clock, GRACE);
        onA.open();
        GracePeriod onB = new GracePeriod(node("b", "s2"), clock, GRACE);
        onB.open();
        long recovery = test.queryLong("SELECT recovery_epoch FROM cluster_grace");
        assertThat(recovery).isNotZero();

        onA.reclaimComplete(1, X.ownerId());

        assertThat(onA.state()).isEqualTo(GracePeriod.State.ENDED);
        assertThat(onA.inGrace()).as("a honours b's grace").isTrue();
        assertThat(test.queryLong("SELECT recovery_epoch FROM cluster_grace")).isEqualTo(recovery);
        assertThat(statusOf(() -> onA.checkNotInGrace("OPEN"))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(statusOf(() -> onA.checkReclaim(1, X.ownerId()))).isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);

        clock.advance(GRACE); // b's client never came back: its grace times out
        assertThat(onB.inGrace()).isFalse();

        assertThat(test.queryLong("SELECT recovery_epoch FROM cluster_grace")).isZero();
        assertThat(test.queryLong("SELECT count(*) FROM node WHERE need_grace")).isZero();
    }

    @Test
    void databaseDown_nothingGranted_thatWasNotRecorded() throws Exception {
        PostgresRecoveryStore a = node("a", "s1");
        GracePeriod g = new GracePeriod(a, clock, GRACE);
        g.open();
        g.stateGranted(1, X.ownerId(), X.principal(), false);

        TestDatabase.killServer();
        try {
            assertThatThrownBy(() -> g.stateGranted(2, Y.ownerId(), Y.principal(), false))
                    .isInstanceOf(RecoveryStoreException.class);
            assertThat(a.available()).isFalse();
            assertThat(statusOf(() -> g.checkNotInGrace("OPEN"))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        } finally {
            TestDatabase.restartServer();
        }
        // the pool's connections died with the server: as the heartbeat does, refresh until one of
        // the new ones answers (a restarted server may refuse the first few while it starts)
        for (int i = 0; i < 15 && !a.available(); i++) {
            try {
                a.refresh();
            } catch (RecoveryStoreException stillStarting) {
                // the next refresh takes a new connection
            }
        }
        assertThat(a.available()).as("store available again after the database restarted").isTrue();
        assertThat(statusOf(() -> g.checkNotInGrace("OPEN"))).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(node("a", "s1").beginEpoch()).as("only what was recorded may reclaim").containsExactly(X);
    }
}

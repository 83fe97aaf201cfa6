package org.jnfsd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterNode}: two nodes on the real PostgreSQL of the tests, one manual clock for the
 * leases and the nodes' own clocks; the "service" each starts only writes to an event log.
 */
class ClusterNodeTest {
    private static final Duration LEASE = Duration.ofSeconds(12);
    private static final Duration TICK = LEASE.dividedBy(4);

    private final ManualClock clock = new ManualClock();
    private final List<String> events = new ArrayList<>();
    private final List<ClusterDatabase> pools = new ArrayList<>();
    private TestDatabase test;

    @BeforeEach
    void schema() throws Exception {
        test = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        pools.forEach(ClusterDatabase::close);
        test.close();
    }

    private ClusterDatabase pool() {
        ClusterDatabase db = test.open();
        pools.add(db);
        return db;
    }

    private ClusterNode node(String id, ClusterDatabase db, ClusterNode.Mode mode) {
        return node(id, db, mode, Runnable::run);
    }

    private ClusterNode node(String id, ClusterDatabase db, ClusterNode.Mode mode, java.util.concurrent.Executor renewals) {
        return new ClusterNode(db, id, "svc", mode, new ServiceLeases(db, id, LEASE, clock), clock, store -> {
            store.beginEpoch();
            synchronized (events) {
                events.add(id + " serves");
            }
            return () -> {
                synchronized (events) {
                    events.add(id + " stops");
                }
            };
        }, renewals);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void renewalUnanswered_ownerFencesAtTheDeadline_withoutWaitingForTheDatabase() throws Exception {
        try (java.util.concurrent.ExecutorService renewals = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
                java.sql.Connection blocker = java.sql.DriverManager.getConnection(test.url(),
                        test.credentials().user(), test.credentials().password())) {
            ClusterNode a = node("a", pool(), ClusterNode.Mode.AUTO, renewals);
            assertThat(a.tick()).isEqualTo(ClusterNode.State.SERVING);
            // the owner row locked by another session: the renewal's UPDATE waits, as on a hung database
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("SELECT 1 FROM service_owner WHERE service = 'svc' FOR UPDATE");

            clock.advance(LEASE.multipliedBy(2).dividedBy(3).minusMillis(50));

            assertThat(a.tick()).as("fenced once the deadline passed, the renewal still unanswered")
                    .isEqualTo(ClusterNode.State.FENCED);
            assertThat(events).containsExactly("a serves", "a stops");
            blocker.rollback();
        }
    }

    @Test
    void firstNodeServes_standbyWaits() {
        ClusterNode a = node("a", pool(), ClusterNode.Mode.AUTO);
        ClusterNode b = node("b", pool(), ClusterNode.Mode.AUTO);

        assertThat(a.tick()).isEqualTo(ClusterNode.State.SERVING);
        for (int i = 0; i < 8; i++) {
            clock.advance(TICK);
            assertThat(a.tick()).isEqualTo(ClusterNode.State.SERVING);
            assertThat(b.tick()).isEqualTo(ClusterNode.State.STANDBY);
        }
        assertThat(events).containsExactly("a serves");
    }

    @Test
    void auto_ownerSilent_standbyTakesOverAfterTheLease() {
        ClusterNode a = node("a", pool(), ClusterNode.Mode.AUTO);
        ClusterNode b = node("b", pool(), ClusterNode.Mode.AUTO);
        a.tick();

        // a is killed: it never ticks again
        clock.advance(LEASE.minusMillis(1));
        assertThat(b.tick()).isEqualTo(ClusterNode.State.STANDBY);
        clock.advance(Duration.ofMillis(1));

        assertThat(b.tick()).isEqualTo(ClusterNode.State.SERVING);
        assertThat(a.tick()).as("a wakes up: its renewal is refused").isEqualTo(ClusterNode.State.FENCED);
        assertThat(events).containsExactly("a serves", "b serves", "a stops");
    }

    @Test
    void databaseLostByOwner_ownerStopsBeforeTheStandbyMayStart() {
        ClusterDatabase aPool = pool();
        ClusterNode a = node("a", aPool, ClusterNode.Mode.AUTO);
        ClusterNode b = node("b", pool(), ClusterNode.Mode.AUTO);
        a.tick();
        aPool.close(); // a cannot reach the database any more

        for (int i = 0; i < 4; i++) { // a whole lease, tick by tick, both nodes
            clock.advance(TICK);
            a.tick();
            b.tick();
        }

        assertThat(a.state()).isEqualTo(ClusterNode.State.FENCED);
        assertThat(b.state()).isEqualTo(ClusterNode.State.SERVING);
        assertThat(events).containsExactly("a serves", "a stops", "b serves");
    }

    @Test
    void manual_lapsedOwner_notTakenUntilTheOperatorSaysSo_thenAfterItsLease() {
        ClusterDatabase aPool = pool();
        ClusterNode a = node("a", aPool, ClusterNode.Mode.AUTO);
        ClusterDatabase bPool = pool();
        ClusterNode b = node("b", bPool, ClusterNode.Mode.MANUAL);
        a.tick();
        clock.advance(TICK);
        a.tick(); // renewed: the lease now runs to TICK + LEASE

        new ServiceLeases(bPool, "b", LEASE, clock).takeOver("svc"); // jnfsd takeover svc, on b
        clock.advance(LEASE.minus(TICK));
        assertThat(b.tick()).as("a's lease still runs").isEqualTo(ClusterNode.State.STANDBY);
        assertThat(a.tick()).isEqualTo(ClusterNode.State.FENCED);
        clock.advance(TICK);

        assertThat(b.tick()).isEqualTo(ClusterNode.State.SERVING);
        assertThat(events).containsExactly("a serves", "a stops", "b serves");
    }

    @Test
    void manual_lapsedOwner_standbyNeverTakesItByItself() {
        ClusterNode a = node("a", pool(), ClusterNode.Mode.AUTO);
        ClusterNode b = node("b", pool(), ClusterNode.Mode.MANUAL);
        a.tick();
        clock.advance(LEASE.multipliedBy(3));

        assertThat(b.tick()).isEqualTo(ClusterNode.State.STANDBY);
    }

    @Test
    void close_releasesTheLease_standbyTakesOverAtOnce() {
        ClusterNode a = node("a", pool(), ClusterNode.Mode.AUTO);
        ClusterNode b = node("b", pool(), ClusterNode.Mode.AUTO);
        a.tick();

        a.close();

        assertThat(b.tick()).isEqualTo(ClusterNode.State.SERVING);
        assertThat(events).containsExactly("a serves", "a stops", "b serves");
    }
}

package org.jnfsd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jnfsd.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ServiceLeases} against the real PostgreSQL of the tests, on a manual clock. */
class ServiceLeasesTest {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final int CONTENDERS = 8;

    private final ManualClock clock = new ManualClock();
    private TestDatabase test;
    private ClusterDatabase db;

    @BeforeEach
    void schema() throws Exception {
        test = TestDatabase.create();
        db = test.open();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        test.close();
    }

    private ServiceLeases node(String id) {
        return new ServiceLeases(db, id, LEASE, clock);
    }

    @Test
    void tryAcquire_liveOwner_refused_lapsed_won() {
        ServiceLeases a = node("a");
        ServiceLeases b = node("b");
        ServiceLeases.Grant ga = a.tryAcquire("s").orElseThrow();

        assertThat(b.tryAcquire("s")).isEmpty();
        clock.advance(LEASE.dividedBy(2));
        assertThat(a.renew(ga)).isTrue();
        clock.advance(LEASE.minusSeconds(1));
        assertThat(b.tryAcquire("s")).as("renewed: still a's").isEmpty();
        clock.advance(Duration.ofSeconds(1));

        ServiceLeases.Grant gb = b.tryAcquire("s").orElseThrow();

        assertThat(gb.previousOwner()).isEqualTo("a");
        assertThat(gb.generation()).isGreaterThan(ga.generation());
        assertThat(a.renew(ga)).as("a lost it: it must fence itself").isFalse();
        assertThat(b.renew(gb)).isTrue();
    }

    @Test
    void renew_afterLapse_refusedEvenWithoutAnotherOwner() {
        ServiceLeases a = node("a");
        ServiceLeases.Grant ga = a.tryAcquire("s").orElseThrow();
        clock.advance(LEASE);

        assertThat(a.renew(ga)).isFalse();
    }

    @Test
    void takeOver_liveOwner_servesOnlyAfterItsLease_andClearsItsGraceFlag() throws Exception {
        ServiceLeases a = node("a");
        ServiceLeases.Grant ga = a.tryAcquire("s").orElseThrow();
        ServiceLeases.Owner before = a.owner("s").orElseThrow();
        PostgresRecoveryStore storeA = new PostgresRecoveryStore(db, "a", "s");
        storeA.beginEpoch();
        storeA.record(PostgresRecoveryStoreTest.X);
        new PostgresRecoveryStore(db, "a", "s").beginEpoch(); // a restarted: it needs grace, then dies
        assertThat(test.queryLong("SELECT count(*) FROM node WHERE need_grace")).isEqualTo(1);

        ServiceLeases.Grant gb = node("b").takeOver("s");

        assertThat(gb.serveAfter()).isEqualTo(before.expires());
        assertThat(a.renew(ga)).isFalse();
        assertThat(test.queryLong("SELECT count(*) FROM node WHERE need_grace")).isZero();
    }

    @Test
    void tryAcquire_concurrentOnNewService_exactlyOneWins() throws Exception {
        assertThat(race(false)).isEqualTo(1);
    }

    @Test
    void tryAcquire_concurrentOnLapsedService_exactlyOneWins() throws Exception {
        node("old").tryAcquire("s").orElseThrow();
        clock.advance(LEASE);

        assertThat(race(false)).isEqualTo(1);
        assertThat(test.queryLong("SELECT count(*) FROM service_owner WHERE node_id = 'old'")).isZero();
    }

    @Test
    void takeOver_concurrent_onlyTheLastOwnerCanRenew() throws Exception {
        node("old").tryAcquire("s").orElseThrow();

        race(true);

        long owners = 0;
        for (int i = 0; i < CONTENDERS; i++) {
            ServiceLeases n = node("n" + i);
            ServiceLeases.Owner o = n.owner("s").orElseThrow();
            if (o.nodeId().equals("n" + i)) {
                owners++;
            }
        }
        assertThat(owners).isEqualTo(1);
        assertThat(test.queryLong("SELECT generation FROM service_owner")).isEqualTo(1 + CONTENDERS);
    }

    /** CONTENDERS nodes, each on a pool of its own, try at once; returns how many won. */
    private long race(boolean manual) throws Exception {
        List<ClusterDatabase> pools = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<ServiceLeases.Grant>>> results = new ArrayList<>();
            for (int i = 0; i < CONTENDERS; i++) {
                ClusterDatabase pool = test.open();
                pools.add(pool);
                ServiceLeases n = new ServiceLeases(pool, "n" + i, LEASE, clock);
                results.add(threads.submit(() -> {
                    go.await();
                    return manual ? Optional.of(n.takeOver("s")) : n.tryAcquire("s");
                }));
            }
            go.countDown();
            long won = 0;
            for (Future<Optional<ServiceLeases.Grant>> f : results) {
                won += f.get().isPresent() ? 1 : 0;
            }
            return won;
        } finally {
            threads.shutdown();
            pools.forEach(ClusterDatabase::close);
        }
    }
}

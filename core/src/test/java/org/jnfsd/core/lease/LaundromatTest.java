package org.jnfsd.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.Test;
import org.jnfsd.core.time.ManualClock;

class LaundromatTest {
    private static final Duration LEASE = Duration.ofSeconds(90);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Unconfirmed records live a whole lease here, so that they stand for any record in the queues. */
    private final ServerConfig config = ServerConfig.builder().leaseTime(LEASE).unconfirmedClientTimeout(LEASE).build();
    private final SessionManager sessions = new SessionManager(config, clock, 0x1234, "jnfsd:test");
    private final ClientTeardown teardown = new ClientTeardown(sessions, List.of());
    private final Laundromat laundromat = new Laundromat(config, sessions, teardown);
    private final Principal alice = Principal.of(new Credential.AuthSys(0, "h", 1000, 1000, new int[0]));

    private ClientRecord unconfirmed(String owner) throws Exception {
        return sessions.exchangeId(owner.getBytes(), new byte[8], alice, false).client();
    }

    @Test
    void runOnce_manyClientsFewLapsed_visitsOnlyTheLapsedPlusOnePerQueue() throws Exception {
        for (int i = 0; i < 100; i++) {
            unconfirmed("old-" + i);
        }
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 900; i++) {
            unconfirmed("new-" + i);
        }
        clock.advance(Duration.ofSeconds(31)); // the first 100 lapsed 1 s ago, the 900 have 59 s left

        SessionManager.Sweep sweep = laundromat.runOnce();

        assertThat(sweep.expired()).isEqualTo(100);
        // 100 lapsed records + the first record not due in the unconfirmed queue + the first in the
        // lease queue (the 100 left it) + none in the courtesy queue
        assertThat(sweep.visited()).isEqualTo(102);
        assertThat(sessions.clients()).hasSize(900);
        assertThat(laundromat.runOnce().visited()).isEqualTo(2);
        assertThat(laundromat.visited()).isEqualTo(104);
    }

    @Test
    void tearDown_hooks_runInTheDeclaredOrder() throws Exception {
        StringBuilder order = new StringBuilder();
        record Hook(TeardownStep step, StringBuilder order) implements ClientStateHook {
            @Override
            public void releaseClient(long clientId) {
                order.append(step).append(' ');
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        }
        ClientTeardown t = new ClientTeardown(sessions, List.of(new Hook(TeardownStep.DROP_TABLES, order),
                new Hook(TeardownStep.RELEASE_OPENS, order), new Hook(TeardownStep.REVOKE_DELEGATIONS, order),
                new Hook(TeardownStep.RELEASE_LOCKS, order)));

        t.tearDown(unconfirmed("o"));

        assertThat(order.toString()).isEqualTo("REVOKE_DELEGATIONS RELEASE_LOCKS RELEASE_OPENS DROP_TABLES ");
    }

    @Test
    void tearDown_hookThrows_laterHooksStillRunAndFailureCounted() throws Exception {
        StringBuilder ran = new StringBuilder();
        ClientStateHook broken = new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return TeardownStep.RELEASE_LOCKS;
            }

            @Override
            public void releaseClient(long clientId) {
                throw new IllegalStateException("broken on purpose");
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        };
        ClientStateHook opens = new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return TeardownStep.RELEASE_OPENS;
            }

            @Override
            public void releaseClient(long clientId) {
                ran.append("opens");
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        };
        ClientTeardown t = new ClientTeardown(sessions, List.of(opens, broken));

        t.tearDown(unconfirmed("o"));

        assertThat(ran.toString()).isEqualTo("opens");
        assertThat(t.hookFailures()).isEqualTo(1);
    }

    @Test
    void start_scheduledRun_sweepsAndCloseCancels() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        laundromat.start(scheduler);
        unconfirmed("o");
        clock.advance(LEASE);

        assertThat(scheduler.onlyDelay()).isEqualTo(Duration.ofSeconds(9));
        assertThat(scheduler.runAll()).isEqualTo(1);
        assertThat(sessions.clients()).isEmpty();
        assertThat(laundromat.runs()).isEqualTo(1);

        laundromat.close();
        assertThat(laundromat.state()).isEqualTo(Laundromat.State.STOPPED);
        assertThat(scheduler.runAll()).isZero();
        assertThatThrownBy(() -> laundromat.start(scheduler)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void runOnce_tasks_runInOrderAfterTheSweep_oneThrowing_laterOnesStillRun() throws Exception {
        List<String> ran = new java.util.ArrayList<>();
        ClientRecord c = unconfirmed("o");
        clock.advance(LEASE);
        Laundromat l = new Laundromat(config, sessions, teardown, List.of(
                () -> ran.add("recalls:" + sessions.clients().size()),
                () -> {
                    ran.add("broken");
                    throw new IllegalStateException("test: a table's task fails");
                },
                () -> ran.add("lock waiters")));

        l.runOnce();

        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(ran).containsExactly("recalls:0", "broken", "lock waiters");
        l.runOnce();
        assertThat(ran).hasSize(6);
    }

    @Test
    void periodFor_shortAndLongLeases_clamped() {
        assertThat(Laundromat.periodFor(Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(9));
        assertThat(Laundromat.periodFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Laundromat.periodFor(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(500));
    }
}

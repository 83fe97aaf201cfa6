package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A randomized soak over many clients: callbacks submitted, answered, delayed, failed with
 * CB_SEQUENCE errors or never answered, connections dropped and re-bound, sessions changed, clients
 * torn down at random, the rest at the end. Reproducible from the seed (printed); bounded. After
 * the run a verifier checks: every callback's done and release ran exactly once, every token is
 * cleared, no state table was touched after its drop, every teardown completed without its bound
 * (checked at once, before time moves), no callback step threw, no slot is held and in-flight is 0.
 */
class CallbackSoakTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 2, 2);
    static final int CLIENTS = 100;
    static final int STEPS = 20_000;
    static final Duration BOUND = Duration.ofSeconds(30);

    static final class Client {
        final ManualExecutor exec = new ManualExecutor();
        final TestTransport transport = new TestTransport();
        final FakeStateTable table = new FakeStateTable();
        final CallbackChannel channel;
        final List<TestCallback> callbacks = new ArrayList<>();
        boolean connected = true;
        int sessionNo;
        CompletableFuture<TeardownReport> teardown;

        Client(int i, ManualScheduler sched) {
            channel = new CallbackChannel("client-" + i, exec, sched, sched, SETTINGS);
        }

        CallbackPath path() {
            byte[] b = new byte[16];
            b[0] = (byte) sessionNo;
            return new CallbackPath(new SessionId(b), 2, 1, transport, () -> connected);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 20261125L})
    void soak_randomEvents_invariantsHold(long seed) {
        System.out.println("CallbackSoakTest seed " + seed);
        Random rnd = new Random(seed);
        ManualScheduler sched = new ManualScheduler();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client c = new Client(i, sched);
            c.channel.pathBound(c.path());
            clients.add(c);
        }
        int ids = 0;
        for (int step = 0; step < STEPS; step++) {
            Client c = clients.get(rnd.nextInt(CLIENTS));
            int ev = rnd.nextInt(100);
            if (c.teardown != null) {
                if (ev < 5) {
                    // late replies to a torn-down client
                    c.transport.unanswered().forEach(x -> answer(x, rnd));
                    c.exec.runAll();
                }
                continue;
            }
            if (ev < 30) {
                TestCallback cb = TestCallback.recall(c.table, "s" + ids++);
                cb.returned = rnd.nextInt(10) == 0;
                cb.watched = c.channel;
                c.callbacks.add(cb);
                c.channel.submit(cb);
            } else if (ev < 55) {
                List<TestTransport.Call> open = c.transport.unanswered();
                if (!open.isEmpty()) {
                    answer(open.get(rnd.nextInt(open.size())), rnd);
                }
            } else if (ev < 80) {
                c.exec.runOne();
            } else if (ev < 85) {
                sched.advance(Duration.ofMillis(rnd.nextInt(5000)));
            } else if (ev < 88) {
                c.connected = false;
                c.transport.unanswered().forEach(TestTransport::fail);
                c.channel.connectionLost();
            } else if (ev < 93) {
                c.connected = true;
                if (rnd.nextInt(4) == 0) {
                    c.sessionNo++;
                }
                c.channel.pathBound(c.path());
            } else if (ev < 94) {
                // the client's table is dropped the moment its teardown stage completes, as production does
                c.teardown = ChannelChecks.killThenDrop(c.channel, BOUND, c.table::drop);
                ChannelChecks.assertCompletedWithoutTheBound(c.teardown);
            } else {
                c.exec.runAll();
            }
        }
        // server shutdown: every remaining client, checked before any time passes (a leak must not hide
        // behind the bound's force-release), then late replies and timers
        for (Client c : clients) {
            if (c.teardown == null) {
                c.teardown = ChannelChecks.killThenDrop(c.channel, BOUND, c.table::drop);
            }
            c.exec.runAll();
            ChannelChecks.assertCompletedWithoutTheBound(c.teardown);
            ChannelChecks.assertQuiet(c.channel); // before any time passes: a leaked slot or count fails here
        }
        for (Client c : clients) {
            c.transport.unanswered().forEach(x -> answer(x, rnd));
            c.exec.runAll();
        }
        sched.advance(Duration.ofMinutes(10));
        int total = 0;
        for (Client c : clients) {
            c.exec.runAll();
            ChannelChecks.assertQuiet(c.channel);
            assertThat(c.channel.state()).isEqualTo(State.KILLED);
            assertThat(c.table.lateAccesses).as("seed %d: late access on %s", seed, c.channel).isZero();
            for (TestCallback cb : c.callbacks) {
                ChannelChecks.assertEndedOnce(cb, false);
            }
            total += c.callbacks.size();
        }
        assertThat(total).isGreaterThan(1000);
    }

    /** A random answer to a captured call, as a real client (or its network) might give (also used by DelegationSoakTest). */
    static void answer(TestTransport.Call call, Random rnd) {
        if (call.isProbe()) {
            if (rnd.nextInt(5) == 0) {
                TestTransport.fail(call);
            } else {
                TestTransport.answerProbe(call);
            }
            return;
        }
        switch (rnd.nextInt(8)) {
            case 0 -> TestTransport.reply(call, NfsStatus.NFS4ERR_DELAY);
            case 1 -> TestTransport.replySequenceError(call, NfsStatus.NFS4ERR_BADSLOT);
            case 2 -> TestTransport.replySequenceError(call, NfsStatus.NFS4ERR_SEQ_MISORDERED);
            case 3 -> TestTransport.fail(call);
            case 4 -> TestTransport.reply(call, NfsStatus.NFS4ERR_BAD_STATEID);
            default -> TestTransport.reply(call, NfsStatus.NFS4_OK);
        }
    }
}

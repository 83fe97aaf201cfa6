package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.junit.jupiter.api.AfterEach;

/**
 * The fixture of the channel race suites, one per minor version ({@link CallbackRacesTest} for
 * 4.1, {@link V40CallbackRacesTest} for 4.0): one client's channel on a manual queue and clock, a
 * {@link TestTransport} the test answers, and the end every test shares ({@link #teardownAndCheck}).
 * Teardown runs as production runs it ({@link ChannelChecks#killThenDrop}: the table is dropped
 * the moment the stage completes, before the queue runs) and must complete without its bound; then
 * late replies arrive and ten minutes pass, and every callback must have been done and released
 * exactly once, never after the stage completed, with no step failure, no slot held, nothing in
 * flight, nothing sent after the kill and the dropped table never touched. The suites differ only
 * in how a late reply is framed ({@link #answerLate}).
 */
abstract class ChannelRaceFixture {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final Duration TEARDOWN_BOUND = Duration.ofSeconds(30);

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final FakeStateTable table = new FakeStateTable();
    final CallbackChannel channel;
    /** Every callback the test made; each is checked at the end. */
    final List<TestCallback> all = new ArrayList<>();
    /** Every transport the channel was given; none may carry a call sent after {@link #killedAt}. */
    final List<TestTransport> transports = new ArrayList<>();
    /** Set by a test that tears down itself; {@link #teardownAndCheck} then does not. */
    boolean tornDown;
    /** Set by the tests about the bound: past it, a release after the stage is what they check. */
    boolean boundReached;
    /** When the test killed the channel, if it checks that nothing was sent afterwards. */
    Instant killedAt = Instant.MAX;

    ChannelRaceFixture(String client) {
        channel = new CallbackChannel(client, exec, sched, sched, SETTINGS);
        watch(transport);
    }

    /** A late reply to a call still unanswered at the end, framed for the suite's minor version. */
    abstract void answerLate(TestTransport.Call call);

    /** A further transport (a new callback path), stamped by the manual clock and checked at the end. */
    final TestTransport newTransport() {
        return watch(new TestTransport());
    }

    private TestTransport watch(TestTransport t) {
        t.clock = sched;
        transports.add(t);
        return t;
    }

    final TestCallback recall(String id) {
        return track(TestCallback.recall(table, id));
    }

    /** Registers a callback for the end-of-test checks, watching this channel's teardown. */
    final TestCallback track(TestCallback cb) {
        cb.watched = channel;
        all.add(cb);
        return cb;
    }

    /**
     * The client teardown as production runs it: kill the channel, and drop the state table the
     * moment the stage completes (chained on it, before the queue runs); nothing may be left for the
     * bound to force-release. Tests about the bound drive it themselves.
     */
    final TeardownReport teardown() {
        CompletableFuture<TeardownReport> td = ChannelChecks.killThenDrop(channel, TEARDOWN_BOUND, table::drop);
        exec.runAll();
        tornDown = true;
        TeardownReport r = ChannelChecks.assertCompletedWithoutTheBound(td);
        ChannelChecks.assertQuiet(channel); // before any time passes
        return r;
    }

    @AfterEach
    final void teardownAndCheck() {
        if (!tornDown) {
            teardown();
        }
        assertThat(sched.pendingTimers()).as("no re-probe or retry timer outlives the kill").isZero();
        // late replies to whatever is still unanswered, and any timers left
        for (TestTransport t : transports) {
            for (TestTransport.Call c : t.unanswered()) {
                if (c.isProbe()) {
                    TestTransport.answerProbe(c);
                } else {
                    answerLate(c);
                }
            }
        }
        exec.runAll();
        sched.advance(Duration.ofMinutes(10));
        exec.runAll();
        for (TestCallback cb : all) {
            ChannelChecks.assertEndedOnce(cb, boundReached);
        }
        assertThat(table.lateAccesses).as("state table touched after teardown").isZero();
        for (TestTransport t : transports) {
            assertThat(t.calls.stream().filter(c -> c.at != null && c.at.isAfter(killedAt)).toList())
                    .as("nothing sent after the kill").isEmpty();
        }
        ChannelChecks.assertQuiet(channel);
        assertThat(channel.state()).isEqualTo(State.KILLED);
    }
}

package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

class CallbackChannelTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final FakeStateTable table = new FakeStateTable();
    final CallbackChannel channel = new CallbackChannel("c", exec, sched, sched, SETTINGS);

    void up() {
        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 1, 1, transport, () -> true));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
    }

    @Test
    void shutdownAsync_prepareStuck_boundPasses_forceReleasedAndNamed_releaseStillRunsOnce() throws Exception {
        up();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        TestCallback cb = new TestCallback("CB_RECALL", table, "stuck-deleg") {
            @Override
            protected Optional<CbArgs> prepare() {
                entered.countDown();
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return super.prepare();
            }
        };
        channel.submit(cb);
        Thread queueThread = Thread.ofVirtual().start(exec::runAll);
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("bounded wait for the step to start").isTrue();

        CompletableFuture<TeardownReport> td = channel.shutdownAsync(Duration.ofSeconds(5)).toCompletableFuture();
        assertThat(td).isNotDone();
        sched.advance(Duration.ofSeconds(5));

        assertThat(td).isDone();
        assertThat(td.join().forceReleased()).singleElement().asString()
                .contains("CB_RECALL", "stuck-deleg", "prepare", "PT");
        assertThat(channel.inFlight()).isZero();

        unblock.countDown();
        queueThread.join(Duration.ofSeconds(30));
        assertThat(queueThread.isAlive()).isFalse();
        assertThat(cb.releases).isEqualTo(1);
        assertThat(((Failed) cb.outcome()).reason()).isEqualTo(Reason.KILLED);
        assertThat(channel.inFlight()).as("not lowered twice").isZero();
    }

    @Test
    void submit_afterCallbackFinished_sameObjectQueuedAgain() {
        up();
        TestCallback cb = TestCallback.recall(table, "a");
        channel.submit(cb);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        table.add("a");
        assertThat(channel.submit(cb)).isEqualTo(CallbackChannel.Submitted.QUEUED);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(cb.releases).isEqualTo(2);
        assertThat(transport.compounds()).extracting(c -> c.sequence().sequenceId()).containsExactly(1, 2);
    }

    @Test
    void onReply_cbSequenceDelay_retriedAfterIntervalWithTheSameSequenceId() {
        up();
        TestCallback cb = TestCallback.recall(table, "a");
        channel.submit(cb);
        exec.runAll();
        TestTransport.replySequenceError(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        sched.advance(SETTINGS.delayRetryInterval());
        exec.runAll();
        assertThat(transport.compounds()).extracting(c -> c.sequence().sequenceId()).containsExactly(1, 1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(cb.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void pathBound_probeFails_downWithPathDownFlags() {
        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 1, 1, transport, () -> true));
        assertThat(channel.statusFlags()).as("UNKNOWN reports nothing").isZero();
        exec.runAll();
        TestTransport.fail(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.DOWN);
        assertThat(channel.statusFlags()).isEqualTo(0x201);
        assertThat(channel.inFlight()).isZero();
    }

    /** A recall that counts {@link Callback#sent}. */
    static final class CountingCallback extends TestCallback {
        int sent;

        CountingCallback(FakeStateTable table, String id) {
            super("CB_RECALL", table, id);
        }

        @Override
        protected void sent() {
            sent++;
        }
    }

    @Test
    void sent_delayRetried_calledOnEachSend() {
        up();
        CountingCallback cb = new CountingCallback(table, "a");
        channel.submit(cb);
        assertThat(cb.sent).as("not before the queue runs").isZero();
        exec.runAll();
        assertThat(cb.sent).isEqualTo(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        sched.advance(SETTINGS.delayRetryInterval());
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();

        assertThat(transport.compounds()).hasSize(2);
        assertThat(cb.sent).isEqualTo(2);
    }

    @Test
    void sent_skippedInPrepareOrNoBackchannel_neverCalled() {
        CountingCallback skipped = new CountingCallback(table, "a");
        skipped.returned = true;
        channel.submit(skipped);
        exec.runAll();
        CountingCallback down = new CountingCallback(table, "b");
        channel.submit(down);
        exec.runAll();

        assertThat(skipped.outcome()).isInstanceOf(CallbackOutcome.Skipped.class);
        assertThat(((Failed) down.outcome()).reason()).isEqualTo(Reason.CHANNEL_DOWN);
        assertThat(skipped.sent + down.sent).isZero();
    }

    @Test
    void whenUp_channelUp_runsAtOnceAndOnlyOnce() {
        up();
        int[] ran = {0};

        channel.whenUp(() -> ran[0]++);
        up(); // a later probe answered again: nothing was kept to run twice

        assertThat(ran[0]).isEqualTo(1);
    }

    @Test
    void whenUp_beforeTheProbeIsAnswered_runsOnceWhenItIs_notBefore() {
        int[] ran = {0};
        channel.whenUp(() -> ran[0]++);
        assertThat(ran[0]).as("no path yet").isZero();

        channel.pathBound(new CallbackPath(new SessionId(new byte[16]), 1, 1, transport, () -> true));
        exec.runAll();
        assertThat(ran[0]).as("probe sent, not answered").isZero();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(ran[0]).isEqualTo(1);

        up();
        assertThat(ran[0]).as("run once, then forgotten").isEqualTo(1);
    }

    @Test
    void whenUp_killedFirst_neverRuns_andNotAfterTheKill() {
        int[] ran = {0};
        channel.whenUp(() -> ran[0]++);
        channel.shutdownAsync(Duration.ofSeconds(5));
        exec.runAll();
        channel.whenUp(() -> ran[0]++);

        assertThat(channel.state()).isEqualTo(State.KILLED);
        assertThat(ran[0]).isZero();
    }
}

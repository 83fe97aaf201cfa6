package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the channel does with a step that throws, with CB_COMPOUND replies the race rows do not
 * reach (no CB_SEQUENCE, a CB_SEQUENCE for another slot, a lowered target), and with its timers:
 * every callback still ends once, and no timer is left once nothing is in flight. Found by mutation
 * testing (scripts/pit): without these, the step-failure count could be stuck at 0 and the fault
 * paths could leak their slot unseen.
 */
class CallbackChannelStepsTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final SessionId SESSION = new SessionId(new byte[16]);

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final FakeStateTable table = new FakeStateTable();
    final CallbackChannel channel = new CallbackChannel("c", exec, sched, sched, SETTINGS);
    boolean connected = true;

    void up(int slots) {
        channel.pathBound(new CallbackPath(SESSION, slots, 1, transport, () -> connected));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
        assertThat(sched.pendingTimers()).as("the answered probe's timer is cancelled").isZero();
    }

    @AfterEach
    void nothingLeft() {
        assertThat(channel.slotsInUse()).as("slots in use").isZero();
        assertThat(channel.inFlight()).as("in flight").isZero();
    }

    /** A callback whose steps throw where the test says. */
    static final class Throwing extends TestCallback {
        boolean inPrepare;
        boolean inSent;
        boolean inDone;
        boolean inRelease;
        boolean inStillNeeded;

        Throwing(FakeStateTable table, String id) {
            super("CB_RECALL", table, id);
        }

        @Override
        protected Optional<CbArgs> prepare() {
            if (inPrepare) {
                prepares++;
                throw new IllegalStateException("prepare bug");
            }
            return super.prepare();
        }

        @Override
        protected void sent() {
            if (inSent) {
                throw new IllegalStateException("sent bug");
            }
        }

        @Override
        protected boolean stillNeeded() {
            if (inStillNeeded) {
                throw new IllegalStateException("stillNeeded bug");
            }
            return super.stillNeeded();
        }

        @Override
        protected void done(CallbackOutcome outcome) {
            super.done(outcome);
            if (inDone) {
                throw new IllegalStateException("done bug");
            }
        }

        @Override
        protected void release() {
            super.release();
            if (inRelease) {
                throw new IllegalStateException("release bug");
            }
        }
    }

    @Test
    void prepareThrows_failedCountedReleasedOnce_notSent() {
        up(1);
        Throwing cb = new Throwing(table, "a");
        cb.inPrepare = true;
        channel.submit(cb);
        exec.runAll();

        assertThat(((Failed) cb.outcome()).reason()).isEqualTo(Reason.PREPARE_FAILED);
        assertThat(cb.releases).isEqualTo(1);
        assertThat(cb.isRunning()).isFalse();
        assertThat(transport.compounds()).isEmpty();
        assertThat(channel.stepFailures()).isEqualTo(1);
    }

    @Test
    void doneAndReleaseThrow_eachCounted_releaseStillRuns_countLowered() {
        up(1);
        Throwing cb = new Throwing(table, "a");
        cb.inDone = true;
        cb.inRelease = true;
        channel.submit(cb);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();

        assertThat(cb.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(cb.releases).as("release runs although done threw").isEqualTo(1);
        assertThat(cb.isRunning()).isFalse();
        assertThat(channel.stepFailures()).isEqualTo(2);
    }

    @Test
    void sentThrows_counted_callStillSentAndAnswered() {
        up(1);
        Throwing cb = new Throwing(table, "a");
        cb.inSent = true;
        channel.submit(cb);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();

        assertThat(cb.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(channel.stepFailures()).isEqualTo(1);
    }

    @Test
    void stillNeededThrows_counted_resentAsIfNeeded() {
        up(1);
        Throwing cb = new Throwing(table, "a");
        cb.inStillNeeded = true;
        channel.submit(cb);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        sched.advance(SETTINGS.delayRetryInterval());
        exec.runAll();

        assertThat(transport.compounds()).as("resent").hasSize(2);
        assertThat(channel.stepFailures()).isEqualTo(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(cb.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(cb.releases).isEqualTo(1);
    }

    @Test
    void compoundWithoutCbSequence_sequenceFailed_fault_slotFreed() {
        up(1);
        TestCallback cb = TestCallback.recall(table, "a");
        channel.submit(cb);
        exec.runAll();
        transport.last().reply.complete(new CbCompoundResult(NfsStatus.NFS4ERR_RESOURCE, new byte[0], List.of()));
        exec.runAll();

        assertThat(((Failed) cb.outcome()).reason()).isEqualTo(Reason.SEQUENCE_FAILED);
        assertThat(channel.state()).isEqualTo(State.FAULT);
        assertThat(channel.statusFlags()).isEqualTo(SequenceResult.STATUS_BACKCHANNEL_FAULT);
        assertThat(sched.pendingTimers()).as("the call's timer is cancelled").isZero();
    }

    @Test
    void cbSequenceReplyForAnotherSequenceId_fault_slotFreed() {
        up(1);
        TestCallback cb = TestCallback.recall(table, "a");
        channel.submit(cb);
        exec.runAll();
        TestTransport.Call c = transport.last();
        CbSequenceArgs s = c.sequence();
        c.reply.complete(new CbCompoundResult(NfsStatus.NFS4_OK, new byte[0], List.of(
                new CbSequenceResult(NfsStatus.NFS4_OK, s.sessionId(), s.sequenceId() + 1, s.slotId(), 0, 0),
                new CbStatusResult(c.args.operations().get(1).opcode(), NfsStatus.NFS4_OK))));
        exec.runAll();

        assertThat(((Failed) cb.outcome()).reason()).isEqualTo(Reason.SEQUENCE_FAILED);
        assertThat(channel.state()).isEqualTo(State.FAULT);
    }

    @Test
    void replyLowersTheTargetSlot_nextCallbacksUseSlotZeroOnly() {
        up(2);
        TestCallback a = TestCallback.recall(table, "a");
        channel.submit(a);
        exec.runAll();
        TestTransport.Call c = transport.last();
        CbSequenceArgs s = c.sequence();
        c.reply.complete(new CbCompoundResult(NfsStatus.NFS4_OK, new byte[0], List.of(
                new CbSequenceResult(NfsStatus.NFS4_OK, s.sessionId(), s.sequenceId(), s.slotId(), 1, 0),
                new CbStatusResult(c.args.operations().get(1).opcode(), NfsStatus.NFS4_OK))));
        exec.runAll();

        TestCallback b = TestCallback.recall(table, "b");
        TestCallback d = TestCallback.recall(table, "d");
        channel.submit(b);
        channel.submit(d);
        exec.runAll();
        assertThat(transport.compounds()).as("target 0: one slot in use at a time").hasSize(2);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(3);
        assertThat(transport.last().sequence().slotId()).isZero();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(List.of(a, b, d)).allSatisfy(cb -> assertThat(cb.outcome()).isInstanceOf(CallbackOutcome.Replied.class));
    }

    @Test
    void answeredCallback_noTimerLeft() {
        up(1);
        TestCallback cb = TestCallback.recall(table, "a");
        channel.submit(cb);
        exec.runAll();
        assertThat(cb.isRunning()).as("queued and sent: its token is held").isTrue();
        assertThat(sched.pendingTimers()).isEqualTo(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(sched.pendingTimers()).isZero();
    }

    @Test
    void killedWhileSent_noTimerLeft_teardownTimerCancelledWhenCountReachesZero() {
        up(1);
        TestCallback cb = TestCallback.recall(table, "a");
        cb.duringRelease = () -> { };
        channel.submit(cb);
        exec.runAll();
        TestCallback stuck = TestCallback.recall(table, "b");
        java.util.List<java.util.concurrent.CompletableFuture<TeardownReport>> td = new java.util.ArrayList<>();
        stuck.duringPrepare = () -> td.add(channel.shutdownAsync(Duration.ofSeconds(30)).toCompletableFuture());
        channel.submit(stuck);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();

        assertThat(td.get(0)).isDone();
        assertThat(td.get(0).join().forceReleased()).isEmpty();
        assertThat(sched.pendingTimers()).as("call timers and the teardown bound cancelled").isZero();
    }

    @Test
    void connectionLostWhileAnotherRemains_probedAgain_staysUsable() {
        up(1);
        channel.connectionLost(); // another back connection remains (connected stays true)
        exec.runAll();
        assertThat(transport.probes()).as("re-probed").hasSize(2);
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void probeFails_down_slotWaiterEndsToo() {
        up(1);
        TestCallback holder = TestCallback.recall(table, "a");
        TestCallback waiter = TestCallback.recall(table, "b");
        channel.submit(holder);
        channel.submit(waiter);
        exec.runAll();
        channel.connectionLost(); // re-probe while the holder's call is out and b waits for the slot
        exec.runAll();
        TestTransport.fail(transport.last());
        exec.runAll();

        assertThat(channel.state()).isEqualTo(State.DOWN);
        assertThat(((Failed) waiter.outcome()).reason()).as("a waiter on a DOWN channel ends at once")
                .isEqualTo(Reason.CHANNEL_DOWN);
        TestTransport.reply(transport.compounds().get(0), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(holder.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }
}

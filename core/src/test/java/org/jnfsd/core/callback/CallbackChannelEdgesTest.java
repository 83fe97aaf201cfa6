package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jnfsd.core.callback.BackchannelSlotTable.Fate;
import org.jnfsd.core.callback.CallbackChannel.Settings;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

/**
 * Channel paths the race rows pass by without checking (found by mutation testing, scripts/pit):
 * an unanswered probe, a waiter freed by its holder's timeout, a reply carrying CB_SEQUENCE only,
 * a callback relying on the default {@code stillNeeded}, the service's gauges and fault injection,
 * a slot lost twice, and the production scheduler's timer.
 */
class CallbackChannelEdgesTest {
    static final Settings SETTINGS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 3);
    static final SessionId SESSION = new SessionId(new byte[16]);

    final ManualExecutor exec = new ManualExecutor();
    final ManualScheduler sched = new ManualScheduler();
    final TestTransport transport = new TestTransport();
    final FakeStateTable table = new FakeStateTable();
    final CallbackChannel channel = new CallbackChannel("c", exec, sched, sched, SETTINGS);

    void up(int slots) {
        channel.pathBound(new CallbackPath(SESSION, slots, 1, transport, () -> true));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void probeNeverAnswered_timesOutAtTheCallTimeout_down_notCounted() {
        channel.pathBound(new CallbackPath(SESSION, 1, 1, transport, () -> true));
        exec.runAll();
        assertThat(transport.probes()).hasSize(1);
        sched.advance(SETTINGS.callTimeout().minusMillis(1));
        exec.runAll();
        assertThat(channel.inFlight()).as("still waiting for the probe's answer").isEqualTo(1);

        sched.advance(Duration.ofMillis(1));
        exec.runAll();

        assertThat(channel.state()).isEqualTo(State.DOWN);
        assertThat(channel.inFlight()).isZero();
        assertThat(sched.pendingTimers()).isZero();
    }

    @Test
    void holderTimesOut_waiterSubmittedLater_endsAtTheHolderTimeoutNotItsOwn() {
        up(1);
        TestCallback holder = TestCallback.recall(table, "holder");
        channel.submit(holder);
        exec.runAll();
        sched.advance(Duration.ofSeconds(5));
        TestCallback waiter = TestCallback.recall(table, "waiter");
        channel.submit(waiter);
        exec.runAll();

        sched.advance(Duration.ofSeconds(5)); // the holder's timeout: the path is DOWN, the waiter ends now
        exec.runAll();

        assertThat(((Failed) holder.outcome()).reason()).isEqualTo(Reason.TIMED_OUT);
        assertThat(((Failed) waiter.outcome()).reason()).isEqualTo(Reason.CHANNEL_DOWN);
        assertThat(channel.inFlight()).isZero();
        assertThat(channel.slotsInUse()).isZero();
    }

    @Test
    void replyWithCbSequenceOnly_theCompoundStatusIsTheOperations() {
        up(1);
        TestCallback ok = TestCallback.recall(table, "ok");
        channel.submit(ok);
        exec.runAll();
        TestTransport.Call c = transport.last();
        CbSequenceArgs s = c.sequence();
        c.reply.complete(new CbCompoundResult(NfsStatus.NFS4ERR_BADHANDLE, new byte[0], List.of(
                new CbSequenceResult(NfsStatus.NFS4_OK, s.sessionId(), s.sequenceId(), s.slotId(), 0, 0))));
        exec.runAll();

        assertThat(ok.outcome()).isEqualTo(new CallbackOutcome.Replied(
                new CbStatusResult(c.args.operations().get(1).opcode(), NfsStatus.NFS4ERR_BADHANDLE)));
        assertThat(channel.slotsInUse()).isZero();
    }

    /** A callback without a stillNeeded of its own: the default says it is still needed. */
    static final class Plain extends Callback {
        int releases;
        CallbackOutcome outcome;

        Plain() {
            super("CB_RECALL_ANY");
        }

        @Override
        public String subject() {
            return "plain";
        }

        @Override
        protected Optional<CbArgs> prepare() {
            return Optional.of(new CbRecallAnyArgs(0, new int[] {1}));
        }

        @Override
        protected void done(CallbackOutcome o) {
            outcome = o;
        }

        @Override
        protected void release() {
            releases++;
        }
    }

    @Test
    void defaultStillNeeded_delayedCallbackResent() {
        up(1);
        Plain cb = new Plain();
        channel.submit(cb);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        sched.advance(SETTINGS.delayRetryInterval());
        exec.runAll();

        assertThat(transport.compounds()).as("resent").hasSize(2);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(cb.outcome).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(cb.releases).isEqualTo(1);
        assertThat(cb.toString()).contains("CB_RECALL_ANY").contains("plain");
    }

    @Test
    void service_inFlightTotalSumsTheChannels_killAllReportsEach_injectDelayNeverNegative() throws Exception {
        CallbackService service = new CallbackService(exec, sched, sched, SETTINGS);
        org.jnfsd.core.session.SessionManager sessions = new org.jnfsd.core.session.SessionManager(
                org.jnfsd.core.ServerConfig.builder().build(), new org.jnfsd.core.time.ManualClock(), 0x79, "t");
        org.jnfsd.core.session.Principal p = new org.jnfsd.core.session.Principal("sys:1@h");
        org.jnfsd.core.session.ClientRecord ca = sessions.exchangeId(new byte[] {1}, new byte[8], p, false).client();
        CallbackChannel a = service.channelFor(ca);
        CallbackChannel b = service.channelFor(sessions.exchangeId(new byte[] {2}, new byte[8], p, false).client());
        a.pathBound(new CallbackPath(SESSION, 1, 1, transport, () -> true));
        b.pathBound(new CallbackPath(SESSION, 1, 1, transport, () -> true));
        assertThat(service.inFlightTotal()).as("one probe queued on each").isEqualTo(2);

        List<TeardownReport> reports = service.killAllAsync(Duration.ofSeconds(30)).toCompletableFuture().join();
        assertThat(reports).hasSize(2).allSatisfy(r -> assertThat(r.killed()).isEqualTo(1));
        assertThat(service.inFlightTotal()).isZero();
        assertThat(service.channel(ca.id())).isNull();

        assertThat(service.injectedDelay()).isEqualTo(Duration.ZERO);
        service.injectDelay(Duration.ofSeconds(3));
        assertThat(service.injectedDelay()).isEqualTo(Duration.ofSeconds(3));
        service.injectDelay(Duration.ofSeconds(-1));
        assertThat(service.injectedDelay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void slotTable_inUseCounted_slotLostTwiceRetired() {
        BackchannelSlotTable t = new BackchannelSlotTable(2);
        BackchannelSlotTable.Slot s = t.acquire();
        BackchannelSlotTable.Slot s1 = t.acquire();
        assertThat(t.inUse()).isEqualTo(2);
        t.release(s1, Fate.ADVANCED);
        assertThat(t.inUse()).isEqualTo(1);
        t.release(s, Fate.LOST);
        assertThat(t.usableSlots()).as("lost once: uncertain, still usable").isEqualTo(2);
        BackchannelSlotTable.Slot again = t.acquire();
        assertThat(again.id).isZero();
        t.release(again, Fate.LOST);
        assertThat(t.usableSlots()).as("lost twice: retired").isEqualTo(1);
        assertThat(t.acquire().id).isEqualTo(1);
    }

    @Test
    void productionScheduler_timerCancelsTheTask() {
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
        try {
            boolean[] ran = {false};
            CallbackScheduler.Timer timer = CallbackScheduler.of(ses).schedule(() -> ran[0] = true, Duration.ofHours(1));
            assertThat(timer).isNotNull();
            timer.cancel();
            assertThat(ses.shutdownNow()).singleElement()
                    .satisfies(r -> assertThat(((java.util.concurrent.Future<?>) r).isCancelled()).isTrue());
            assertThat(ran[0]).isFalse();
        } finally {
            ses.shutdownNow();
        }
    }
}

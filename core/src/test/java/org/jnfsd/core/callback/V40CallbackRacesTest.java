package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.junit.jupiter.api.Test;

/**
 * The NFSv4.0 callback path on the one {@link CallbackChannel}: CB_COMPOUNDs of minor version 0
 * with the client's callback_ident and no CB_SEQUENCE, over a connection the server dials itself
 * (here a {@link TestTransport} the test answers, fails or refuses), and the 4.0 variants of the
 * transport rows of {@code callback-races.md} (07, 08, 09, 10, 11, 19): the server-opened connection
 * is refused, closes mid-call, or is replaced by a callback update. Deterministic: manual queue and
 * clock. Every test ends with {@link ChannelRaceFixture}'s checks, as {@link CallbackRacesTest} does:
 * teardown without its bound, each callback released once, nothing in flight, no step failure, no
 * timer left, nothing sent after the kill.
 */
class V40CallbackRacesTest extends ChannelRaceFixture {
    static final int IDENT = 0x4000_0007;

    V40CallbackRacesTest() {
        super("v40-client");
    }

    @Override
    void answerLate(TestTransport.Call call) {
        TestTransport.replyV40(call, NfsStatus.NFS4_OK);
    }

    void up() {
        channel.pathBound(CallbackPath.v40(IDENT, transport));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    // ---- framing ----

    @Test
    void recall_v40Compound_minorVersion0_callbackIdent_noSequence_repliedOk() {
        up();
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();

        TestTransport.Call c = transport.last();
        assertThat(c.args.minorVersion()).isZero();
        assertThat(c.args.callbackIdent()).isEqualTo(IDENT);
        assertThat(c.args.operations()).hasSize(1);
        assertThat(c.args.operations().get(0)).isInstanceOf(CbRecallArgs.class);
        TestTransport.replyV40(c, NfsStatus.NFS4_OK);
        exec.runAll();

        assertThat(a.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(((CallbackOutcome.Replied) a.outcome()).result().opcode()).isEqualTo(CbOpcode.CB_RECALL);
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void recall_noSlotTable_severalSentAtOnce() {
        up();
        TestCallback a = recall("a");
        TestCallback b = recall("b");
        TestCallback c = recall("c");
        channel.submit(a);
        channel.submit(b);
        channel.submit(c);
        exec.runAll();

        assertThat(transport.compounds()).as("4.0 has no slot to wait for").hasSize(3);
        transport.unanswered().forEach(x -> TestTransport.replyV40(x, NfsStatus.NFS4_OK));
        exec.runAll();
        assertThat(List.of(a, b, c)).allSatisfy(cb -> assertThat(cb.outcome()).isInstanceOf(CallbackOutcome.Replied.class));
    }

    @Test
    void recall_delay_resentAfterTheInterval_thenReplied() {
        up();
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        TestTransport.replyV40(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        assertThat(transport.compounds()).as("not resent before the interval").hasSize(1);

        sched.advance(SETTINGS.delayRetryInterval());
        exec.runAll();
        assertThat(transport.compounds()).hasSize(2);
        TestTransport.replyV40(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(a.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }

    @Test
    void recall_errorStatus_isTheOutcome_channelStaysUp() {
        up();
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        TestTransport.replyV40(transport.last(), NfsStatus.NFS4ERR_BAD_STATEID);
        exec.runAll();

        assertThat(((CallbackOutcome.Replied) a.outcome()).result().status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void recall_noAnswer_timesOut_down_thenReprobed() {
        up();
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        sched.advance(SETTINGS.callTimeout());
        exec.runAll();
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.TIMED_OUT);
        assertThat(channel.state()).isEqualTo(State.DOWN);

        sched.advance(CallbackChannel.REPROBE_FIRST);
        exec.runAll();
        assertThat(transport.last().isProbe()).isTrue();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    // ---- the transport rows, 4.0 variants ----

    @Test
    void race07_v40_connectRefused_reprobedWithBoundedBackoff_noBusyLoop_callbacksFailFast() {
        transport.refusing = true; // the client's callback service is not listening
        channel.pathBound(CallbackPath.v40(IDENT, transport));
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.DOWN);

        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        assertThat(((Failed) a.outcome()).reason()).as("not queued for later").isEqualTo(Reason.CHANNEL_DOWN);
        for (int i = 0; i < 600; i++) {
            sched.advance(Duration.ofSeconds(1));
            assertThat(exec.runAll()).as("a bounded amount of work per second").isLessThan(10);
        }

        List<TestTransport.Call> probes = transport.probes();
        assertThat(transport.compounds()).as("the recall was never sent").isEmpty();
        // 1 + 2 + 4 + 8 + 16 + 32 s, then every 60 s: 15 probes in 10 minutes, the first at once
        assertThat(probes).hasSizeBetween(13, 16);
        for (int i = 2; i < probes.size(); i++) {
            Duration gap = Duration.between(probes.get(i - 1).at, probes.get(i).at);
            Duration before = Duration.between(probes.get(i - 2).at, probes.get(i - 1).at);
            assertThat(gap).as("back-off never shrinks").isGreaterThanOrEqualTo(before);
            assertThat(gap).as("back-off bounded").isLessThanOrEqualTo(CallbackChannel.REPROBE_MAX);
        }
        assertThat(sched.pendingTimers()).as("one re-probe timer at a time").isEqualTo(1);
        assertThat(channel.state()).isEqualTo(State.DOWN);
    }

    @Test
    void race07_v40_connectionLost_clientListensAgain_reprobeBringsItUp_backoffReset() {
        up();
        channel.connectionLost();
        assertThat(channel.state()).isEqualTo(State.DOWN);
        transport.refusing = true;
        for (int i = 0; i < 1 + 2 + 4; i++) {
            sched.advance(Duration.ofSeconds(1));
            exec.runAll();
        }
        assertThat(transport.probes()).as("first probe + 3 re-probes").hasSize(4);

        transport.refusing = false; // the client's callback service is back
        for (int i = 0; i < 8; i++) {
            sched.advance(Duration.ofSeconds(1));
            exec.runAll();
        }
        assertThat(transport.probes()).hasSize(5);
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
        assertThat(sched.pendingTimers()).as("no re-probe while UP").isZero();

        channel.connectionLost();
        sched.advance(CallbackChannel.REPROBE_FIRST);
        exec.runAll();
        assertThat(transport.probes()).as("back-off starts again at the first delay").hasSize(6);
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void race08_v40_callbackUpdateAfterPathDown_newPathProbed_up_oldConnectionClosed_recallGoesThere() {
        up();
        TestCallback lost = recall("lost");
        channel.submit(lost);
        exec.runAll();
        TestTransport.fail(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.DOWN);

        // SETCLIENTID + SETCLIENTID_CONFIRM with a new callback address
        TestTransport fresh = newTransport();
        channel.pathBound(CallbackPath.v40(IDENT + 1, fresh));
        exec.runAll();
        assertThat(transport.closes).as("the old connection is closed").isEqualTo(1);
        assertThat(fresh.last().isProbe()).isTrue();
        TestTransport.answerProbe(fresh.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
        assertThat(sched.pendingTimers()).as("the re-probe of the old path was cancelled").isZero();

        TestCallback next = recall("next");
        channel.submit(next);
        exec.runAll();
        assertThat(fresh.compounds()).hasSize(1);
        assertThat(fresh.last().args.callbackIdent()).isEqualTo(IDENT + 1);
        TestTransport.replyV40(fresh.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(next.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }

    @Test
    void race08_v40_callOnTheReplacedConnectionFailsLate_newPathNotMarkedDown_nextRecallSent() {
        up();
        TestCallback old = recall("old");
        channel.submit(old);
        exec.runAll();
        TestTransport.Call onOld = transport.last();
        TestTransport fresh = newTransport();

        channel.pathBound(CallbackPath.v40(IDENT, fresh)); // closes the old connection: onOld fails
        TestCallback next = recall("next");
        channel.submit(next);
        exec.runAll(); // the old call's failure, the probe of the new path, then the next recall

        assertThat(onOld.reply.isCompletedExceptionally()).isTrue();
        assertThat(((Failed) old.outcome()).reason()).isEqualTo(Reason.TRANSPORT_FAILED);
        assertThat(fresh.compounds()).as("a failure on the replaced connection says nothing of the new one")
                .hasSize(1);
        TestTransport.answerProbe(fresh.probes().get(0));
        TestTransport.replyV40(fresh.compounds().get(0), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(next.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    @Test
    void race09_v40_transportThrowsOnSend_failedOnce_transportClosedOnce() {
        up();
        transport.throwOnSend = true;
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.TRANSPORT_FAILED);
        assertThat(a.releases).isEqualTo(1);

        teardown();
        channel.shutdownAsync(TEARDOWN_BOUND);
        assertThat(transport.closes).isEqualTo(1);
    }

    @Test
    void race09_v40_callbackUpdateAfterKill_newTransportClosed_notLeaked_notProbed() {
        up();
        teardown();
        TestTransport late = newTransport();

        channel.pathBound(CallbackPath.v40(IDENT, late)); // a SETCLIENTID_CONFIRM racing the teardown
        exec.runAll();

        assertThat(late.closes).as("the channel owns the path it was given: closed, not leaked").isEqualTo(1);
        assertThat(late.calls).isEmpty();
        assertThat(transport.closes).isEqualTo(1);
    }

    @Test
    void race10_v40_connectionClosesMidCall_callbacksFailedNotRequeued_onlyProbesAfter() {
        up();
        TestCallback a = recall("a");
        TestCallback b = recall("b");
        channel.submit(a);
        channel.submit(b);
        exec.runAll();
        transport.unanswered().forEach(TestTransport::fail);
        channel.connectionLost();
        exec.runAll();

        assertThat(List.of(a, b)).allSatisfy(cb -> assertThat(((Failed) cb.outcome()).reason())
                .isEqualTo(Reason.TRANSPORT_FAILED));
        assertThat(channel.inFlight()).as("nothing pends for an unreachable client").isZero();
        transport.refusing = true;
        sched.advance(Duration.ofMinutes(5));
        exec.runAll();
        assertThat(transport.compounds()).as("never resent: only probes follow").hasSize(2);
        assertThat(teardown().killed()).isZero();
    }

    @Test
    void race11_v40_addressRefused_noPath_callbacksFailFast_nothingDialled_noReprobe() {
        channel.pathRefused("outside --callback-addresses");
        assertThat(channel.state()).isEqualTo(State.DOWN);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        sched.advance(Duration.ofMinutes(5));
        exec.runAll();

        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.CHANNEL_DOWN);
        assertThat(sched.pendingTimers()).as("nothing to re-probe").isZero();
        assertThat(transport.calls).isEmpty();
    }

    @Test
    void race11_v40_updateToARefusedAddress_oldConnectionClosed_down() {
        up();
        channel.pathRefused("outside --callback-addresses");

        assertThat(channel.state()).isEqualTo(State.DOWN);
        assertThat(transport.closes).isEqualTo(1);
        sched.advance(Duration.ofMinutes(5));
        exec.runAll();
        assertThat(transport.probes()).as("never dialled again").hasSize(1);
    }

    @Test
    void race19_v40_teardownWithRecallInFlight_clientNeverAnswers_bounded_connectionClosed() {
        up();
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();

        killedAt = sched.instant();
        TeardownReport r = teardown();

        assertThat(r.killed()).isEqualTo(1);
        assertThat(transport.closes).as("the server's connection is closed, its call cancelled").isEqualTo(1);
        assertThat(a.outcome()).isEqualTo(new Failed(Reason.KILLED, "channel killed"));
    }

    @Test
    void race19_v40_teardownWhileReprobePending_timerCancelled_noProbeAfterKill() {
        up();
        channel.connectionLost();
        assertThat(sched.pendingTimers()).isEqualTo(1);

        killedAt = sched.instant();
        teardown();

        assertThat(sched.pendingTimers()).as("the re-probe timer dies with the channel").isZero();
    }
}

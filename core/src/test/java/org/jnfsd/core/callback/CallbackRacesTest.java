package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jnfsd.core.callback.CallbackChannel.State;
import org.jnfsd.core.callback.CallbackChannel.Submitted;
import org.jnfsd.core.callback.CallbackOutcome.Failed;
import org.jnfsd.core.callback.CallbackOutcome.Reason;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

/**
 * One deterministic test per row of {@code docs/callback-races.md} that concerns the callback
 * machinery. Events happen in exactly the order the row describes: the test runs the client's
 * queue ({@link ManualExecutor}), moves time ({@link ManualScheduler}) and answers, fails or
 * drops each call ({@link TestTransport}). Every test ends with {@link ChannelRaceFixture}'s checks:
 * teardown completes without its bound (the table is dropped the moment its stage completes, before
 * the queue runs: {@link ChannelChecks#killThenDrop}), every callback was released exactly once,
 * in-flight is 0, no backchannel slot is held, no callback step threw, and nothing touched the
 * dropped state table afterwards, even when late replies arrive.
 *
 * <p>Rows left for the delegation work: 05, 21 (they need delegations and leases). Row 20, and row 04
 * with a real async copy and its CB_OFFLOAD, are in {@link CopyRacesTest}. Rows 04, 06, 09, 12, 13,
 * 14 and 16 use a stand-in callback here where the row's essence is the callback machinery.
 */
class CallbackRacesTest extends ChannelRaceFixture {
    static final SessionId SESSION = new SessionId(new byte[16]);
    static final SessionId OTHER_SESSION = new SessionId(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    boolean connected = true;

    CallbackRacesTest() {
        super("client-1");
    }

    @Override
    void answerLate(TestTransport.Call call) {
        TestTransport.reply(call, NfsStatus.NFS4_OK);
    }

    CallbackPath path(SessionId session, int slots) {
        return new CallbackPath(session, slots, 1, transport, () -> connected);
    }

    void up(int slots) {
        channel.pathBound(path(SESSION, slots));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
    }

    TestCallback recallAny(String id) {
        return track(new TestCallback("CB_RECALL_ANY", table, id));
    }

    @Test
    void race01_severalCallbacksWaitingForTheOnlySlot_shutdownKillsThem_eachSlotReleasedOnce() {
        up(1);
        TestCallback a = recall("a");
        TestCallback b = recall("b");
        TestCallback c = recall("c");
        channel.submit(a);
        channel.submit(b);
        channel.submit(c);
        exec.runAll();
        assertThat(transport.compounds()).as("only the slot holder is sent").hasSize(1);
        assertThat(channel.inFlight()).isEqualTo(3);

        TeardownReport r = teardown();

        assertThat(r.killed()).isEqualTo(3);
        assertThat(r.forceReleased()).isEmpty();
        assertThat(List.of(a, b, c)).allSatisfy(cb -> assertThat(cb.outcome()).isEqualTo(new Failed(Reason.KILLED, "channel killed")));
        assertThat(transport.compounds()).as("no waiter was sent after the kill").hasSize(1);
    }

    @Test
    void race02_recallInFlight_clientDestroyed_lateReplyAfterTableFreed_releaseRanBeforeDrop() {
        up(4);
        TestCallback a = recall("deleg-1");
        channel.submit(a);
        exec.runAll();
        TestTransport.Call call = transport.compounds().get(0);

        teardown();
        assertThat(a.releases).as("released before the table was dropped").isEqualTo(1);
        assertThat(a.releasesAfterTeardown).as("released before the teardown stage completed").isZero();
        assertThat(table.lateAccesses).isZero();

        TestTransport.reply(call, NfsStatus.NFS4_OK); // the reply arrives after the table was freed
        exec.runAll();
        assertThat(a.releases).isEqualTo(1);
        assertThat(table.lateAccesses).isZero();
    }

    @Test
    void race03_probeQueued_clientDestroyed_probeReleasedAndDestroyCompletes() {
        channel.pathBound(path(SESSION, 1)); // probe queued, not yet run
        assertThat(channel.inFlight()).as("the probe counts in flight").isEqualTo(1);

        TeardownReport r = teardown();

        assertThat(r.killed()).isEqualTo(1);
        assertThat(transport.probes()).as("killed before it was sent").isEmpty();
    }

    @Test
    void race04_previousCallbackSlotNeverAnswered_offloadWaitsBoundedThenGetsTheSlot() {
        up(1);
        TestCallback first = recall("first");
        TestCallback offload = new TestCallback("CB_OFFLOAD", table, "copy-1"); // stand-in for CB_OFFLOAD
        all.add(offload);
        channel.submit(first);
        channel.submit(offload);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);

        sched.advance(SETTINGS.callTimeout());
        exec.runAll();

        assertThat(first.outcome()).isInstanceOf(Failed.class);
        assertThat(((Failed) first.outcome()).reason()).isEqualTo(Reason.TIMED_OUT);
        assertThat(offload.outcome()).as("the waiter's wait is bounded too").isInstanceOf(Failed.class);
        assertThat(channel.inFlight()).isZero();
        assertThat(channel.state()).as("an unanswered call marks the path down").isEqualTo(State.DOWN);
    }

    @Test
    void race04_slotFreedByReply_waitingCallbackSentOnIt() {
        up(1);
        TestCallback first = recall("first");
        TestCallback offload = new TestCallback("CB_OFFLOAD", table, "copy-1");
        all.add(offload);
        channel.submit(first);
        channel.submit(offload);
        exec.runAll();
        TestTransport.reply(transport.compounds().get(0), NfsStatus.NFS4_OK);
        exec.runAll();

        assertThat(transport.compounds()).hasSize(2);
        assertThat(transport.compounds().get(1).sequence().sequenceId()).as("seq advanced on the reply").isEqualTo(2);
        TestTransport.reply(transport.compounds().get(1), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race06_recallOfDelegationAlreadyReturned_notSent_andDelayForeverIsBounded() {
        up(2);
        TestCallback gone = recall("returned");
        gone.returned = true;
        channel.submit(gone);
        exec.runAll();
        assertThat(gone.outcome()).isEqualTo(new CallbackOutcome.Skipped());
        assertThat(transport.compounds()).isEmpty();

        TestCallback delayed = recall("delayed");
        channel.submit(delayed);
        exec.runAll();
        for (int i = 0; i <= SETTINGS.maxDelayRetries(); i++) {
            TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
            exec.runAll();
            sched.advance(SETTINGS.delayRetryInterval());
            exec.runAll();
        }
        assertThat(transport.compounds()).hasSize(1 + SETTINGS.maxDelayRetries());
        assertThat(((Failed) delayed.outcome()).reason()).isEqualTo(Reason.DELAY_RETRIES_EXHAUSTED);
        assertThat(delayed.prepares).as("prepared once, resent as is").isEqualTo(1);
    }

    @Test
    void race06_recallDelayedThenStateReturned_notResent_skippedAndReleasedOnce() {
        up(2);
        TestCallback recall = recall("returned-while-delayed");
        channel.submit(recall);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4ERR_DELAY);
        exec.runAll();
        recall.returned = true; // DELEGRETURN arrived while the resend waited

        sched.advance(SETTINGS.delayRetryInterval());
        exec.runAll();

        assertThat(transport.compounds()).as("not resent").hasSize(1);
        assertThat(recall.outcome()).isEqualTo(new CallbackOutcome.Skipped());
        assertThat(recall.releases).isEqualTo(1);
        assertThat(channel.inFlight()).isZero();
        assertThat(recall.isRunning()).isFalse();
    }

    @Test
    void race07_forwardConnectionGone_noReconnectLoop_callbacksFailFast() {
        up(1);
        connected = false;
        channel.connectionLost();
        assertThat(channel.state()).isEqualTo(State.DOWN);
        int callsBefore = transport.calls.size();

        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        sched.advance(Duration.ofMinutes(5));
        assertThat(exec.runAll()).isZero();

        assertThat(transport.calls).as("nothing sent, no probe loop").hasSize(callsBefore);
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.CHANNEL_DOWN);
        assertThat(sched.pendingTimers()).isZero();
    }

    @Test
    void race08_bindConnAfterCbPathDown_reprobed_upAgain_recallsWork() {
        up(1);
        TestCallback lost = recall("lost");
        channel.submit(lost);
        exec.runAll();
        TestTransport.fail(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.DOWN);
        assertThat(channel.statusFlags()).isEqualTo(
                SequenceResult.STATUS_CB_PATH_DOWN | SequenceResult.STATUS_CB_PATH_DOWN_SESSION);

        channel.pathBound(path(SESSION, 1)); // BIND_CONN_TO_SESSION
        exec.runAll();
        assertThat(transport.last().isProbe()).isTrue();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
        assertThat(channel.statusFlags()).isZero();

        TestCallback next = recall("next");
        channel.submit(next);
        exec.runAll();
        TestTransport.Call c = transport.last();
        assertThat(c.sequence().sequenceId()).as("lost reply on seq 1: next call uses 2, never replays 1").isEqualTo(2);
        TestTransport.reply(c, NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(next.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }

    @Test
    void race09_transportFailsToSend_callbackFailedOnce_transportClosedOnce() {
        up(1);
        transport.throwOnSend = true;
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.TRANSPORT_FAILED);
        assertThat(a.releases).isEqualTo(1);

        teardown();
        channel.shutdownAsync(TEARDOWN_BOUND); // a second teardown is harmless
        assertThat(transport.closes).isEqualTo(1);
    }

    @Test
    void race10_backchannelDisconnects_callbacksNotRequeued_destroyDoesNotHang() {
        up(2);
        TestCallback a = recall("a");
        TestCallback b = recall("b");
        channel.submit(a);
        channel.submit(b);
        exec.runAll();
        connected = false;
        transport.unanswered().forEach(TestTransport::fail);
        channel.connectionLost();
        exec.runAll();

        assertThat(List.of(a, b)).allSatisfy(cb -> assertThat(((Failed) cb.outcome()).reason()).isEqualTo(Reason.TRANSPORT_FAILED));
        assertThat(channel.inFlight()).as("nothing pends for an unreachable client").isZero();
        assertThat(exec.pending()).isZero();
        assertThat(teardown().killed()).isZero();
    }

    @Test
    void race11_probeWithNoBackchannelAtAll_noCrash_downAndReleased() {
        TestCallback a = recall("a");
        channel.submit(a); // no path was ever bound
        exec.runAll();
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.CHANNEL_DOWN);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race12_recallAnySubmittedWhileClientTornDown_refusedAndReleased() {
        up(1);
        channel.shutdownAsync(TEARDOWN_BOUND);
        TestCallback any = recallAny("reaper");
        any.watched = null; // refused after the kill, so released at once: it must refer to no client table
        assertThat(channel.submit(any)).isEqualTo(Submitted.REFUSED);
        assertThat(any.releases).isEqualTo(1);
        teardown();
    }

    @Test
    void race13_recallAnyNeverAnswered_doesNotPinTheClient_inFlightReturnsToZero() {
        up(1);
        TestCallback any = recallAny("recall-any");
        channel.submit(any);
        exec.runAll();
        assertThat(channel.inFlight()).isEqualTo(1);
        sched.advance(SETTINGS.callTimeout());
        exec.runAll();
        assertThat(channel.inFlight()).isZero();
        assertThat(any.releases).isEqualTo(1);
    }

    @Test
    void race14_courtesyClientUnreachable_callbacksTimeOut_noRequeue_shutdownQuick() {
        up(2);
        for (int i = 0; i < 5; i++) {
            channel.submit(recall("d" + i));
        }
        exec.runAll();
        sched.advance(SETTINGS.callTimeout());
        exec.runAll();
        assertThat(channel.inFlight()).isZero();
        assertThat(transport.compounds()).as("two sent, none resent").hasSize(2);
        assertThat(all).allSatisfy(cb -> assertThat(cb.outcome()).isInstanceOf(Failed.class));
        assertThat(teardown().forceReleased()).isEmpty();
    }

    @Test
    void race15_sameCallbackQueuedAgainWhileRunning_refused_runsOnce() {
        up(1);
        TestCallback a = recall("a");
        assertThat(channel.submit(a)).isEqualTo(Submitted.QUEUED);
        exec.runAll();
        assertThat(channel.submit(a)).isEqualTo(Submitted.ALREADY_RUNNING);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        assertThat(channel.inFlight()).isEqualTo(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(a.prepares).isEqualTo(1);
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race16_queueingTheRecallFails_referenceDroppedAndCountLowered() {
        up(1);
        exec.rejecting = true;
        TestCallback a = recall("a");
        assertThat(channel.submit(a)).isEqualTo(Submitted.REFUSED);
        assertThat(a.releases).isEqualTo(1);
        assertThat(table.contains("a")).as("the reference was dropped").isFalse();
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.QUEUE_REJECTED);
        assertThat(channel.inFlight()).isZero();
        exec.rejecting = false;
    }

    @Test
    void race17_tokenTakenThenSendSkippedBecauseChannelDown_tokenCleared_sameRecallQueuedAgainAndSent() {
        up(1);
        connected = false;
        channel.connectionLost();
        TestCallback a = recall("a");
        assertThat(channel.submit(a)).isEqualTo(Submitted.QUEUED);
        exec.runAll();
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.CHANNEL_DOWN);
        assertThat(a.isRunning()).isFalse();
        a.outcomes.clear(); // the second run of the same object is checked like a first one
        a.releases = 0;
        table.add("a"); // its owner still wants the state recalled

        connected = true;
        channel.pathBound(path(SESSION, 1));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        // the same object is queued again: its token was cleared when its skipped run ended
        assertThat(channel.submit(a)).isEqualTo(Submitted.QUEUED);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(a.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }

    @Test
    void race17_tokenTakenThenQueueingFails_tokenCleared_sameRecallQueuedAgainAndSent() {
        up(1);
        TestCallback a = recall("a");
        exec.rejecting = true;
        assertThat(channel.submit(a)).isEqualTo(Submitted.REFUSED);
        exec.rejecting = false;
        assertThat(a.isRunning()).isFalse();
        a.outcomes.clear();
        a.releases = 0;
        table.add("a");

        assertThat(channel.submit(a)).isEqualTo(Submitted.QUEUED);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(a.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }

    @Test
    void race18_badSlot_retriedOnAnotherSlot_notTheSame() {
        up(2);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        assertThat(transport.last().sequence().slotId()).isZero();
        TestTransport.replySequenceError(transport.last(), NfsStatus.NFS4ERR_BADSLOT);
        exec.runAll();
        assertThat(transport.last().sequence().slotId()).isEqualTo(1);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(a.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
    }

    @Test
    void race18_badSlotOnTheOnlySlot_faultReported_noEndlessRetry() {
        up(1);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        TestTransport.replySequenceError(transport.last(), NfsStatus.NFS4ERR_BADSLOT);
        exec.runAll();
        assertThat(transport.compounds()).hasSize(1);
        assertThat(((Failed) a.outcome()).reason()).isEqualTo(Reason.SEQUENCE_FAILED);
        assertThat(channel.state()).isEqualTo(State.FAULT);
        assertThat(channel.statusFlags()).isEqualTo(SequenceResult.STATUS_BACKCHANNEL_FAULT);
    }

    @Test
    void race18_seqMisorderedAfterLostReply_retriedWithTheOtherCandidate_neverResetTo1() {
        up(1);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK); // slot 0 confirmed at 1
        exec.runAll();
        TestCallback b = recall("b");
        channel.submit(b);
        exec.runAll();
        assertThat(transport.last().sequence().sequenceId()).isEqualTo(2);
        sched.advance(SETTINGS.callTimeout()); // reply to seq 2 lost
        exec.runAll();
        channel.pathBound(path(SESSION, 1));
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();

        TestCallback c = recall("c");
        channel.submit(c);
        exec.runAll();
        assertThat(transport.last().sequence().sequenceId()).as("client may have processed 2").isEqualTo(3);
        TestTransport.replySequenceError(transport.last(), NfsStatus.NFS4ERR_SEQ_MISORDERED);
        exec.runAll();
        assertThat(transport.last().sequence().sequenceId()).as("it had not: 2, not 1").isEqualTo(2);
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(c.outcome()).isInstanceOf(CallbackOutcome.Replied.class);
        assertThat(transport.compounds()).extracting(x -> x.sequence().sequenceId()).doesNotContain(0).containsOnlyOnce(1);
    }

    @Test
    void race18_seqMisorderedOnCertainSlot_slotRetired_otherSlotUsed_boundedRetries() {
        up(2);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        TestTransport.replySequenceError(transport.last(), NfsStatus.NFS4ERR_SEQ_MISORDERED);
        exec.runAll();
        assertThat(transport.last().sequence().slotId()).isEqualTo(1);
        assertThat(transport.last().sequence().sequenceId()).isEqualTo(1);
        TestTransport.replySequenceError(transport.last(), NfsStatus.NFS4ERR_SEQ_MISORDERED);
        exec.runAll();
        assertThat(transport.compounds()).as("no slot left: stop").hasSize(2);
        assertThat(channel.state()).isEqualTo(State.FAULT);
    }

    @Test
    void race18_sessionChangesWhileSlotHeld_oldSlotReleasedToOldTable_newSessionStartsAt1() {
        up(1);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        TestTransport.Call old = transport.last();
        channel.pathBound(path(OTHER_SESSION, 1)); // a new session with a back channel
        exec.runAll();
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        TestCallback b = recall("b");
        channel.submit(b);
        exec.runAll();
        TestTransport.Call fresh = transport.last();
        assertThat(fresh.sequence().sessionId()).isEqualTo(OTHER_SESSION);
        assertThat(fresh.sequence().sequenceId()).isEqualTo(1);
        TestTransport.reply(old, NfsStatus.NFS4_OK);
        TestTransport.reply(fresh, NfsStatus.NFS4_OK);
        exec.runAll();
        assertThat(channel.inFlight()).isZero();
    }

    @Test
    void race19_destroySessionWithCallbackInFlight_clientNeverAnswers_teardownBounded() {
        up(1);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        // the client never answers: teardown must not wait for it
        TeardownReport r = teardown();
        assertThat(r.killed()).isEqualTo(1);
        assertThat(transport.closes).as("transport calls cancelled").isEqualTo(1);
    }

    @Test
    void race19_queueHandlesTheCancelledCallBeforeTeardownFinishesIt_stillKilledOnce() {
        up(1);
        TestCallback a = recall("a");
        channel.submit(a);
        exec.runAll();
        transport.onClose = exec::runAll; // the queue runs between "cancel transport calls" and "drain"

        teardown();

        assertThat(a.outcome()).isEqualTo(new Failed(Reason.KILLED, "channel killed"));
        assertThat(a.releases).isEqualTo(1);
    }

    @Test
    void race08_bindWhileProbeOfDeadConnectionStillPending_probedAgainAfterIt_up() {
        channel.pathBound(path(SESSION, 1));
        exec.runAll();
        TestTransport.Call stale = transport.last(); // probe on a connection that is going away
        channel.pathBound(path(SESSION, 1)); // the client binds a new connection meanwhile
        exec.runAll();
        assertThat(transport.probes()).as("one probe at a time").hasSize(1);

        TestTransport.fail(stale);
        exec.runAll();
        assertThat(transport.probes()).as("the new binding is probed").hasSize(2);
        TestTransport.answerProbe(transport.last());
        exec.runAll();
        assertThat(channel.state()).isEqualTo(State.UP);
        assertThat(transport.probes()).hasSize(2);
    }

    // ---- teardown while a step runs, the bound, and a reply racing the kill

    @Test
    void race01_holderRepliesWhileTheKillRuns_slotReleasedOnce_noWaiterSentAfterTheKill() {
        up(1);
        TestCallback a = recall("a");
        TestCallback b = recall("b");
        TestCallback c = recall("c");
        channel.submit(a);
        channel.submit(b);
        channel.submit(c);
        exec.runAll();
        TestTransport.Call holder = transport.compounds().get(0);
        // the holder's reply arrives and is handled on the queue while teardown is killing the channel
        transport.onClose = () -> {
            transport.onClose = () -> { };
            TestTransport.reply(holder, NfsStatus.NFS4_OK);
            exec.runAll();
        };

        TeardownReport r = teardown();

        assertThat(transport.compounds()).as("no waiter took the freed slot after the kill").hasSize(1);
        assertThat(List.of(a, b, c)).allSatisfy(cb -> assertThat(cb.outcome()).isEqualTo(new Failed(Reason.KILLED, "channel killed")));
        assertThat(r.killed()).isEqualTo(3);
        assertThat(channel.slotsInUse()).isZero();
    }

    @Test
    void race02_teardownStartsWhileTheRecallIsInPrepare_stageWaitsForIt_tableDroppedAfterItsRelease() {
        up(4);
        TestCallback a = recall("deleg-1");
        List<CompletableFuture<TeardownReport>> td = new ArrayList<>();
        a.duringPrepare = () -> {
            td.add(ChannelChecks.killThenDrop(channel, TEARDOWN_BOUND, table::drop));
            assertThat(td.get(0)).as("not complete while the recall is in prepare").isNotDone();
            assertThat(a.releases).as("not released inside its own prepare").isZero();
        };
        channel.submit(a);
        exec.runAll();
        tornDown = true;

        ChannelChecks.assertCompletedWithoutTheBound(td.get(0));
        assertThat(a.outcome()).isEqualTo(new Failed(Reason.KILLED, "channel killed"));
        assertThat(a.releases).isEqualTo(1);
        assertThat(transport.compounds()).as("not sent after the kill").isEmpty();
    }

    @Test
    void race19_callbackStuckInPrepare_stageNotDoneBeforeTheBound_doneAtIt_lateReleaseCountedOnce() {
        boundReached = true;
        up(1);
        TestCallback a = recall("stuck");
        List<CompletableFuture<TeardownReport>> td = new ArrayList<>();
        a.duringPrepare = () -> {
            td.add(channel.shutdownAsync(TEARDOWN_BOUND).toCompletableFuture());
            sched.advance(TEARDOWN_BOUND.minusMillis(1));
            assertThat(td.get(0)).as("not done before the bound").isNotDone();
            sched.advance(Duration.ofMillis(1));
            assertThat(td.get(0)).as("done at the bound").isDone();
            assertThat(channel.inFlight()).as("the stuck callback no longer counted").isZero();
        };
        channel.submit(a);
        exec.runAll();
        tornDown = true;
        table.drop();

        assertThat(td.get(0).join().forceReleased()).singleElement().asString()
                .contains("CB_RECALL stuck").contains("stuck in prepare");
        assertThat(a.releases).as("its release still ran once, after prepare returned").isEqualTo(1);
        assertThat(channel.inFlight()).as("0, not -1, after the late release").isZero();
    }

    @Test
    void race19_callbackStuckInReleasePastTheBound_stageDoneAtTheBound_inFlightZeroNotMinusOne() {
        boundReached = true;
        up(1);
        TestCallback a = recall("slow-release");
        channel.submit(a);
        exec.runAll();
        List<CompletableFuture<TeardownReport>> td = new ArrayList<>();
        a.duringRelease = () -> {
            // teardown starts while the release of an answered callback has not returned
            td.add(channel.shutdownAsync(TEARDOWN_BOUND).toCompletableFuture());
            sched.advance(TEARDOWN_BOUND.minusMillis(1));
            assertThat(td.get(0)).as("not done before the bound").isNotDone();
            sched.advance(Duration.ofMillis(1));
            assertThat(td.get(0)).as("done at the bound").isDone();
        };
        TestTransport.reply(transport.last(), NfsStatus.NFS4_OK);
        exec.runAll();
        tornDown = true;
        table.drop();

        assertThat(td.get(0).join().forceReleased()).singleElement().asString().contains("stuck in done/release");
        assertThat(a.releases).isEqualTo(1);
        assertThat(channel.inFlight()).as("0, not -1, after the late release").isZero();
    }
}

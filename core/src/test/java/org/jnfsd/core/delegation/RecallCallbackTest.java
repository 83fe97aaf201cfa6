package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class RecallCallbackTest {
    private final ManualClock clock = new ManualClock();
    private final ServerCounters counters = new ServerCounters();
    private final DelegationTable table = new DelegationTable(clock, new StateIdAllocator(3), Duration.ofSeconds(90),
            Duration.ofSeconds(5), 10, counters);
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {1}));
    private final List<Delegation> recalled = new ArrayList<>();

    @Test
    void prepare_recalling_buildsCbRecallOfTheStateidAndFile() {
        Delegation d = table.grantRead(1, file).delegation();
        table.recallConflicting(2, file, recalled::add);

        CbRecallArgs args = (CbRecallArgs) new RecallCallback(d, table).prepare().orElseThrow();

        assertThat(args.stateId()).isEqualTo(d.stateId());
        assertThat(args.fileHandle()).isEqualTo(file.toBytes());
        assertThat(args.truncate()).isFalse();
    }

    @Test
    void prepare_returnedBeforeSend_sendsNothing_row06() {
        Delegation d = table.grantRead(1, file).delegation();
        table.recallConflicting(2, file, recalled::add);
        RecallCallback cb = new RecallCallback(d, table);
        table.delegReturn(1, file, d.stateId());

        assertThat(cb.prepare()).isEmpty();
    }

    @Test
    void release_twice_secondThrowsAndReferenceDroppedOnce_rule5() {
        Delegation d = table.grantRead(1, file).delegation();
        RecallCallback cb = new RecallCallback(d, table);

        cb.release();

        assertThat(cb.released()).isTrue();
        assertThat(cb.prepare()).isEmpty();
        assertThatThrownBy(cb::release).isInstanceOf(IllegalStateException.class);
    }

    private Delegation recalling() {
        Delegation d = table.grantRead(1, file).delegation();
        table.recallConflicting(2, file, recalled::add);
        return d;
    }

    @Test
    void sent_twice_countsOneRecallSent() {
        RecallCallback cb = new RecallCallback(recalling(), table);

        cb.sent();
        cb.sent(); // resent after NFS4ERR_DELAY

        assertThat(counters.count(ServerEvent.CB_RECALL_SENT)).isEqualTo(1);
    }

    @Test
    void done_answeredBadStateid_revokedAtOnceAndCounted() {
        Delegation d = recalling();
        RecallCallback cb = new RecallCallback(d, table);

        cb.done(new CallbackOutcome.Replied(new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4ERR_BAD_STATEID)));

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(table.test(1, d.stateId())).isEqualTo(NfsStatus.NFS4ERR_DELEG_REVOKED);
        assertThat(table.hasRevoked(1)).isTrue();
        assertThat(table.recallConflicting(2, file, recalled::add)).as("the conflicting request proceeds").isFalse();
        assertThat(counters.count(ServerEvent.DELEGATION_REVOKED)).isEqualTo(1);
    }

    @Test
    void done_answeredOk_leftForDelegreturn() {
        Delegation d = recalling();

        new RecallCallback(d, table).done(new CallbackOutcome.Replied(new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4_OK)));

        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        assertThat(counters.count(ServerEvent.DELEGATION_REVOKED)).isZero();
    }

    @Test
    void done_unanswered_revokedOnlyAfterALease() {
        Delegation d = recalling();
        RecallCallback cb = new RecallCallback(d, table);

        cb.done(new CallbackOutcome.Failed(CallbackOutcome.Reason.TIMED_OUT, "no answer"));
        cb.done(new CallbackOutcome.Failed(CallbackOutcome.Reason.CHANNEL_DOWN, "down"));
        cb.done(new CallbackOutcome.Failed(CallbackOutcome.Reason.DELAY_RETRIES_EXHAUSTED, "5 retries"));

        assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);
        clock.advance(Duration.ofSeconds(90));
        assertThat(table.revokeExpiredRecalls()).isEqualTo(1);
        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(counters.count(ServerEvent.DELEGATION_REVOKED)).isEqualTo(1);
    }

    @Test
    void done_refusedAfterDelegreturn_staysReturnedNotCounted() {
        Delegation d = recalling();
        RecallCallback cb = new RecallCallback(d, table);
        table.delegReturn(1, file, d.stateId());

        cb.done(new CallbackOutcome.Replied(new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4ERR_BADHANDLE)));

        assertThat(d.state()).isEqualTo(Delegation.State.RETURNED);
        assertThat(table.hasRevoked(1)).isFalse();
        assertThat(counters.count(ServerEvent.DELEGATION_REVOKED)).isZero();
    }

    @Test
    void recallConflicting_expiredRecallRevokedLazily_counted() {
        Delegation d = recalling();
        clock.advance(Duration.ofSeconds(90));

        table.recallConflicting(2, file, recalled::add);

        assertThat(d.state()).isEqualTo(Delegation.State.REVOKED);
        assertThat(counters.count(ServerEvent.DELEGATION_REVOKED)).isEqualTo(1);
    }

    @Test
    void sent_once_countsOneRecallSent() {
        new RecallCallback(recalling(), table).sent();

        assertThat(counters.count(ServerEvent.CB_RECALL_SENT)).isEqualTo(1);
    }

    @Test
    void stillNeeded_onlyWhileRecallingAndUnreleased_row06() {
        Delegation d = recalling();
        RecallCallback cb = new RecallCallback(d, table);
        assertThat(cb.stillNeeded()).isTrue();
        assertThat(new RecallCallback(table.grantRead(1, new FileHandle(1, new Inode(new byte[] {9}))).delegation(),
                table).stillNeeded()).as("granted, not being recalled").isFalse();

        table.delegReturn(1, file, d.stateId());
        assertThat(cb.stillNeeded()).as("returned").isFalse();

        FileHandle f3 = new FileHandle(1, new Inode(new byte[] {3}));
        Delegation d3 = table.grantRead(1, f3).delegation();
        table.recallConflicting(2, f3, recalled::add);
        RecallCallback released = new RecallCallback(d3, table);
        assertThat(released.stillNeeded()).isTrue();
        released.release();
        assertThat(released.stillNeeded()).as("released").isFalse();
    }
}

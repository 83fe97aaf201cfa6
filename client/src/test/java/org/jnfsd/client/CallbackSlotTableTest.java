package org.jnfsd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jnfsd.client.CallbackSlotTable.Outcome;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.junit.jupiter.api.Test;

class CallbackSlotTableTest {
    private static final CbCompoundResult REPLY = new CbCompoundResult(NfsStatus.NFS4_OK, new byte[] {'r'}, List.of());

    @Test
    void begin_firstRequestSeqidOne_executes() {
        CallbackSlotTable t = new CallbackSlotTable(2);

        assertThat(t.begin(0, 1)).isInstanceOf(Outcome.Execute.class);
        assertThat(t.begin(1, 1)).isInstanceOf(Outcome.Execute.class);
    }

    @Test
    void begin_seqidZeroOnUnusedSlot_misorderedNotRetry() {
        CallbackSlotTable t = new CallbackSlotTable(1);

        assertThat(t.begin(0, 0)).isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_SEQ_MISORDERED));
    }

    @Test
    void begin_slotBeyondTable_badSlot() {
        CallbackSlotTable t = new CallbackSlotTable(2);

        assertThat(t.begin(2, 1)).isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_BADSLOT));
        assertThat(t.begin(-1, 1)).isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_BADSLOT));
    }

    @Test
    void begin_retryOfCachedRequest_replaysReply() {
        CallbackSlotTable t = new CallbackSlotTable(1);
        t.begin(0, 1);
        t.finish(0, REPLY);

        assertThat(t.begin(0, 1)).isEqualTo(new Outcome.Replay(REPLY));
    }

    @Test
    void begin_retryOfUncachedRequest_uncached() {
        CallbackSlotTable t = new CallbackSlotTable(1);
        t.begin(0, 1);
        t.finish(0, null);

        assertThat(t.begin(0, 1)).isInstanceOf(Outcome.Uncached.class);
    }

    @Test
    void begin_retryWhileExecuting_delay() {
        CallbackSlotTable t = new CallbackSlotTable(1);
        t.begin(0, 1);

        assertThat(t.begin(0, 1)).isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_DELAY));
        assertThat(t.begin(0, 2)).as("next while busy").isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_SEQ_MISORDERED));
    }

    @Test
    void begin_gapOrOld_misorderedAndSlotUnchanged() {
        CallbackSlotTable t = new CallbackSlotTable(1);
        t.begin(0, 1);
        t.finish(0, REPLY);

        assertThat(t.begin(0, 3)).isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_SEQ_MISORDERED));
        assertThat(t.begin(0, 0)).isEqualTo(new Outcome.Refused(NfsStatus.NFS4ERR_SEQ_MISORDERED));
        assertThat(t.begin(0, 2)).as("the sequence is not reset by a misordered request")
                .isInstanceOf(Outcome.Execute.class);
    }

    @Test
    void finish_slotNotBusy_throws() {
        CallbackSlotTable t = new CallbackSlotTable(1);

        assertThatThrownBy(() -> t.finish(0, REPLY)).isInstanceOf(IllegalStateException.class);
    }
}

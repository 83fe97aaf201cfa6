package org.jnfsd.core.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.junit.jupiter.api.Test;

class AsyncCopyTest {
    private static final StateId SID = new StateId(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AsyncCopy.Request REQ = new AsyncCopy.Request(null, null, 0, null, 0, 10, new byte[] {1},
            new byte[8]);

    @Test
    void complete_whileRunning_winsAndRecordsStatus() {
        AsyncCopy c = new AsyncCopy(SID, 5, REQ);
        assertThat(c.complete(NfsStatus.NFS4_OK, false, T0)).isTrue();
        assertThat(c.state()).isEqualTo(CopyState.COMPLETED);
        assertThat(c.result()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(c.endedAt()).isEqualTo(T0);
        assertThat(c.cancel(T0)).as("cancel after completion").isFalse();
        assertThat(c.state()).isEqualTo(CopyState.COMPLETED);
    }

    @Test
    void cancel_whileRunning_winsAgainstLaterCompletion() {
        AsyncCopy c = new AsyncCopy(SID, 5, REQ);
        assertThat(c.cancel(T0)).isTrue();
        assertThat(c.complete(NfsStatus.NFS4_OK, true, T0)).isFalse();
        assertThat(c.state()).isEqualTo(CopyState.CANCELLED);
        assertThat(c.result()).isNull();
    }

    @Test
    void notifying_notReapableUntilOffloadReleased() {
        AsyncCopy c = new AsyncCopy(SID, 5, REQ);
        assertThat(c.complete(NfsStatus.NFS4_OK, true, T0)).isTrue();
        assertThat(c.state()).isEqualTo(CopyState.NOTIFYING);
        assertThat(c.cancel(T0)).isFalse();
        assertThat(c.reap()).as("CB_OFFLOAD in flight").isFalse();
        assertThat(c.offloadReleased(T0.plusSeconds(3))).isTrue();
        assertThat(c.endedAt()).as("the keep time counts from the release").isEqualTo(T0.plusSeconds(3));
        assertThat(c.offloadReleased(T0)).as("once").isFalse();
        assertThat(c.reap()).isTrue();
    }

    @Test
    void reap_onlyAfterAnEnd_once() {
        AsyncCopy c = new AsyncCopy(SID, 5, REQ);
        assertThat(c.reap()).as("running").isFalse();
        c.complete(NfsStatus.NFS4ERR_IO, false, T0);
        assertThat(c.reap()).isTrue();
        assertThat(c.reap()).isFalse();
        assertThat(c.state()).isEqualTo(CopyState.REAPED);
    }

    @Test
    void claimTask_once() {
        AsyncCopy c = new AsyncCopy(SID, 5, REQ);
        assertThat(c.claimTask()).isTrue();
        assertThat(c.claimTask()).isFalse();
        assertThat(c.taskEnded().toCompletableFuture()).isNotDone();
        c.taskDone();
        assertThat(c.taskEnded().toCompletableFuture()).isDone();
    }
}

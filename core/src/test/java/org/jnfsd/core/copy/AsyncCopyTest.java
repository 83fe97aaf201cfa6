package org.jnfsd.core.copy;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.junit.jupiter.api.Test;

class AsyncCopyTest {
    private static final StateId SID = new StateId(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

    @Test
    void complete_whileRunning_winsAndRecordsStatus() {
        AsyncCopy c = new AsyncCopy(SID, 5);
        assertThat(c.complete(NfsStatus.NFS4_OK)).isTrue();
        assertThat(c.state()).isEqualTo(CopyState.COMPLETED);
        assertThat(c.result()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(c.cancel()).as("cancel after completion").isFalse();
        assertThat(c.state()).isEqualTo(CopyState.COMPLETED);
    }

    @Test
    void cancel_whileRunning_winsAgainstLaterCompletion() {
        AsyncCopy c = new AsyncCopy(SID, 5);
        assertThat(c.cancel()).isTrue();
        assertThat(c.complete(NfsStatus.NFS4_OK)).isFalse();
        assertThat(c.state()).isEqualTo(CopyState.CANCELLED);
        assertThat(c.result()).isNull();
    }

    @Test
    void reap_onlyAfterAnEnd_once() {
        AsyncCopy c = new AsyncCopy(SID, 5);
        assertThat(c.reap()).as("running").isFalse();
        c.complete(NfsStatus.NFS4ERR_IO);
        assertThat(c.reap()).isTrue();
        assertThat(c.reap()).isFalse();
        assertThat(c.state()).isEqualTo(CopyState.REAPED);
    }

    @Test
    void copies_find_unknownOtherClientOrReaped_BAD_STATEID() throws Exception {
        Copies copies = new Copies();
        AsyncCopy c = new AsyncCopy(SID, 5);
        copies.add(c);
        assertThat(copies.find(5, SID)).isSameAs(c);
        assertThat(status(() -> copies.find(6, SID))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(status(() -> copies.find(5, new StateId(1, new byte[12])))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        c.cancel();
        c.reap();
        assertThat(status(() -> copies.find(5, SID))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        copies.remove(c);
        assertThat(copies.size()).isZero();
    }

    interface Call {
        void run() throws Exception;
    }

    private static NfsStatus status(Call call) {
        try {
            call.run();
            return NfsStatus.NFS4_OK;
        } catch (org.jnfsd.core.NfsException e) {
            return e.status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

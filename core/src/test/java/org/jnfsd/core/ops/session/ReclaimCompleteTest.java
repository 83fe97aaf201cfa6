package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.seq;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

class ReclaimCompleteTest {
    private final Harness h = new Harness();

    @Test
    void reclaimComplete_twice_completeAlready() {
        SessionId id = h.newSession();

        assertThat(h.call(seq(id, 1, 0, false), new ReclaimCompleteArgs(false)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(seq(id, 2, 0, false), new ReclaimCompleteArgs(false)).status())
                .isEqualTo(NfsStatus.NFS4ERR_COMPLETE_ALREADY);
    }

    @Test
    void reclaimComplete_oneFs_okEveryTime() {
        SessionId id = h.newSession();

        assertThat(h.call(seq(id, 1, 0, false), new ReclaimCompleteArgs(true)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(seq(id, 2, 0, false), new ReclaimCompleteArgs(true)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(seq(id, 3, 0, false), new ReclaimCompleteArgs(false)).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void reclaimComplete_withoutSequence_opNotInSession() {
        assertThat(h.call(new ReclaimCompleteArgs(false)).status()).isEqualTo(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION);
    }
}

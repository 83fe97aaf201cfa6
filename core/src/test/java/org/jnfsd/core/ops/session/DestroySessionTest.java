package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.count;
import static org.jnfsd.core.ops.session.Harness.seq;

import io.netty.buffer.Unpooled;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.session.SlotOutcome;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

class DestroySessionTest {
    private final Harness h = new Harness();

    @Test
    void destroySession_alone_destroyedAndLaterSequenceBadSession() throws Exception {
        SessionId id = h.newSession();
        Session session = h.server.sessions().session(id);

        assertThat(h.call(new DestroySessionArgs(id)).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(session.state()).isEqualTo(Session.State.DESTROYED);
        assertThat(session.client().sessions()).isEmpty();
        assertThat(h.call(seq(id, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(h.call(new DestroySessionArgs(id)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void destroySession_lastUnderOwnSequence_destroyedWhenCompoundCompletes() throws Exception {
        SessionId id = h.newSession();
        Session session = h.server.sessions().session(id);

        Harness.Reply r = h.call(seq(id, 1, 0, false), count(), new DestroySessionArgs(id));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(session.state()).isEqualTo(Session.State.DESTROYED);
        assertThat(session.client().sessions()).isEmpty();
    }

    @Test
    void destroySession_notLastUnderOwnSequence_notOnlyOp() throws Exception {
        SessionId id = h.newSession();

        Harness.Reply r = h.call(seq(id, 1, 0, false), new DestroySessionArgs(id), count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_NOT_ONLY_OP);
        assertThat(h.server.sessions().session(id).state()).isEqualTo(Session.State.OPEN);
    }

    @Test
    void destroySession_otherSessionUnderSequence_okAnywhere() throws Exception {
        SessionId mine = h.newSession();
        SessionId other = h.newSession();

        Harness.Reply r = h.call(seq(mine, 1, 0, false), new DestroySessionArgs(other), count());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(h.call(seq(other, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void destroySession_withAnotherOpWithoutSequence_notOnlyOp() {
        SessionId id = h.newSession();

        assertThat(h.call(new DestroySessionArgs(id), count()).status()).isEqualTo(NfsStatus.NFS4ERR_NOT_ONLY_OP);
    }

    @Test
    void destroySession_slotInFlight_drainsThenDestroyedWhenSlotFreed() throws Exception {
        CreateSessionResult cs = h.newSession("owner", attrs(2));
        SessionId id = cs.sessionId();
        Session session = h.server.sessions().session(id);
        ClientRecord client = session.client();
        SlotOutcome.Acquired inFlight = (SlotOutcome.Acquired) session.acquire(1, 1, false, false);

        assertThat(h.call(new DestroySessionArgs(id)).status()).isEqualTo(NfsStatus.NFS4_OK);

        assertThat(session.state()).isEqualTo(Session.State.DRAINING);
        assertThat(h.call(seq(id, 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        long clientId = client.id().value();
        assertThat(h.call(new DestroyClientidArgs(clientId)).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);

        inFlight.slot().complete(Unpooled.EMPTY_BUFFER);

        assertThat(session.state()).isEqualTo(Session.State.DESTROYED);
        assertThat(client.sessions()).isEmpty();
        assertThat(h.call(new DestroyClientidArgs(clientId)).status()).isEqualTo(NfsStatus.NFS4_OK);
    }
}

package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.count;

import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.BindConnToSessionArgs;
import org.jnfsd.protocol.nfs4.session.BindConnToSessionResult;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.rpc.RpcConnection;
import org.junit.jupiter.api.Test;

class BindConnToSessionTest {
    private final Harness h = new Harness();

    private BindConnToSessionResult bind(SessionId id, RpcConnection conn, int dir) {
        Harness.Reply r = h.call(ALICE, conn, new BindConnToSessionArgs(id, dir, true));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(0, BindConnToSessionResult.class);
    }

    @Test
    void bindConnToSession_eachDirection_recordedAndAnswered() throws Exception {
        SessionId id = h.newSession();
        Session session = h.server.sessions().session(id);
        RpcConnection fore = FakeConnection.open();
        RpcConnection back = FakeConnection.open();
        RpcConnection both = FakeConnection.open();

        assertThat(bind(id, fore, BindConnToSessionArgs.CDFC4_FORE))
                .isEqualTo(new BindConnToSessionResult(id, BindConnToSessionResult.CDFS4_FORE, false));
        assertThat(bind(id, back, BindConnToSessionArgs.CDFC4_BACK).dir()).isEqualTo(BindConnToSessionResult.CDFS4_BACK);
        assertThat(bind(id, both, BindConnToSessionArgs.CDFC4_BACK_OR_BOTH).dir())
                .isEqualTo(BindConnToSessionResult.CDFS4_BOTH);

        assertThat(session.connections()).containsExactlyInAnyOrder(
                new Session.Binding(fore, ChannelDirection.FORE),
                new Session.Binding(back, ChannelDirection.BACK),
                new Session.Binding(both, ChannelDirection.BOTH));
        assertThat(session.backChannelConnections()).containsExactlyInAnyOrder(back, both);
        back.close();
        assertThat(session.backChannelConnections()).containsExactly(both);
    }

    @Test
    void bindConnToSession_rebind_replacesDirection() throws Exception {
        SessionId id = h.newSession();
        RpcConnection conn = FakeConnection.open();
        bind(id, conn, BindConnToSessionArgs.CDFC4_FORE);

        assertThat(bind(id, conn, BindConnToSessionArgs.CDFC4_FORE_OR_BOTH).dir())
                .isEqualTo(BindConnToSessionResult.CDFS4_BOTH);

        assertThat(h.server.sessions().session(id).connections())
                .containsExactly(new Session.Binding(conn, ChannelDirection.BOTH));
    }

    @Test
    void bindConnToSession_unknownDirection_inval() {
        SessionId id = h.newSession();

        assertThat(h.call(new BindConnToSessionArgs(id, 4, false)).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void bindConnToSession_unknownSession_badSession() {
        assertThat(h.call(new BindConnToSessionArgs(new SessionId(new byte[16]), 1, false)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void bindConnToSession_notAlone_notOnlyOp() {
        SessionId id = h.newSession();

        assertThat(h.call(new BindConnToSessionArgs(id, 1, false), count()).status())
                .isEqualTo(NfsStatus.NFS4ERR_NOT_ONLY_OP);
    }
}

package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.BOB;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_1;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.createSessionArgs;

import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.rpc.RpcConnection;
import org.junit.jupiter.api.Test;

class CreateSessionTest {
    private final Harness h = new Harness(ServerConfig.builder().maxSlots(8).maxSessionOperations(32)
            .maxRequestSize(100_000).maxResponseSize(200_000).maxResponseSizeCached(10_000).build());

    @Test
    void createSession_sameSequenceAgain_cachedReplyAndNoSecondSession() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        Harness.Reply first = h.call(createSessionArgs(eid.clientId(), eid.sequenceId(), attrs(2)));

        Harness.Reply again = h.call(createSessionArgs(eid.clientId(), eid.sequenceId(), attrs(2)));

        assertThat(first.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(again.bytes()).isEqualTo(first.bytes());
        assertThat(h.server.sessions().client(eid.clientId()).sessions()).hasSize(1);
    }

    @Test
    void createSession_nextSequence_newSession() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        CreateSessionResult a = h.createSession(eid.clientId(), eid.sequenceId(), attrs(2));
        CreateSessionResult b = h.createSession(eid.clientId(), eid.sequenceId() + 1, attrs(2));

        assertThat(b.sessionId()).isNotEqualTo(a.sessionId());
    }

    @Test
    void createSession_sequenceSkipped_misordered() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(h.call(createSessionArgs(eid.clientId(), eid.sequenceId() + 1, attrs(2))).status())
                .isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(h.call(createSessionArgs(eid.clientId(), eid.sequenceId() - 1, attrs(2))).status())
                .isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
    }

    @Test
    void createSession_failureIsCachedToo_replayGetsSameStatus() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        ChannelAttrs tiny = new ChannelAttrs(0, 10, 10, 0, 1, 1, null);

        assertThat(h.call(createSessionArgs(eid.clientId(), 1, tiny)).status()).isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
        assertThat(h.call(createSessionArgs(eid.clientId(), 1, attrs(1))).status()).isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
        assertThat(h.call(createSessionArgs(eid.clientId(), 2, attrs(1))).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void createSession_largeRequest_negotiatedDownToServerLimits() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        ChannelAttrs greedy = new ChannelAttrs(64, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 1000, 1000,
                7);

        CreateSessionResult r = h.createSession(eid.clientId(), 1, greedy);

        assertThat(r.foreChannel()).isEqualTo(new ChannelAttrs(0, 100_000, 200_000, 10_000, 32, 8, null));
        assertThat(r.backChannel().rdmaIrd()).isNull();
        assertThat(r.backChannel().headerPadSize()).isZero();
    }

    @Test
    void createSession_smallRequest_clientValuesKept() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        ChannelAttrs modest = new ChannelAttrs(0, 4096, 8192, 1024, 4, 2, null);

        CreateSessionResult r = h.createSession(eid.clientId(), 1, modest);

        assertThat(r.foreChannel()).isEqualTo(modest);
    }

    @Test
    void createSession_zeroSlotsAsked_oneSlotGranted() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);

        CreateSessionResult r = h.createSession(eid.clientId(), 1, attrs(0));

        assertThat(r.foreChannel().maxRequests()).isEqualTo(1);
    }

    @Test
    void createSession_backChannelAndPersistAsked_onlyBackChannelGrantedAndConnectionBoundBoth() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        RpcConnection conn = FakeConnection.open();
        CreateSessionArgs args = new CreateSessionArgs(eid.clientId(), 1,
                CreateSessionArgs.FLAG_PERSIST | CreateSessionArgs.FLAG_CONN_BACK_CHAN | CreateSessionArgs.FLAG_CONN_RDMA,
                attrs(1), attrs(2), 0x40000000, List.of(CallbackSecParms.None.INSTANCE));

        Harness.Reply r = h.call(ALICE, conn, args);

        CreateSessionResult cs = r.result(0, CreateSessionResult.class);
        assertThat(cs.flags()).isEqualTo(CreateSessionArgs.FLAG_CONN_BACK_CHAN);
        Session s = h.server.sessions().session(cs.sessionId());
        assertThat(s.connections()).containsExactly(new Session.Binding(conn, ChannelDirection.BOTH));
        assertThat(s.backChannelConnections()).containsExactly(conn);
        assertThat(s.cbProgram()).isEqualTo(0x40000000);
        assertThat(s.backChannel().maxRequests()).isEqualTo(2);
    }

    @Test
    void createSession_withoutBackChannelFlag_connectionBoundForeOnly() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        RpcConnection conn = FakeConnection.open();
        CreateSessionArgs args = new CreateSessionArgs(eid.clientId(), 1, 0, attrs(1), attrs(1), 7,
                List.of(CallbackSecParms.None.INSTANCE));

        CreateSessionResult cs = h.call(ALICE, conn, args).result(0, CreateSessionResult.class);

        assertThat(cs.flags()).isZero();
        Session s = h.server.sessions().session(cs.sessionId());
        assertThat(s.connections()).containsExactly(new Session.Binding(conn, ChannelDirection.FORE));
        conn.close();
        assertThat(s.connections()).isEmpty();
    }

    @Test
    void createSession_confirmsRecord_exchangeIdThenReportsConfirmed() throws Exception {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        h.createSession(eid.clientId(), 1, attrs(1));

        assertThat(h.server.sessions().client(eid.clientId()).state().name()).isEqualTo("ACTIVE");
    }

    @Test
    void createSession_otherPrincipalOnUnconfirmed_clidInUse() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(h.call(BOB, null, createSessionArgs(eid.clientId(), 1, attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4ERR_CLID_INUSE);
        assertThat(h.call(createSessionArgs(eid.clientId(), 1, attrs(1))).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void createSession_clientIdOfAnotherServerInstance_staleClientId() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        Harness restarted = new Harness();

        assertThat(restarted.call(createSessionArgs(eid.clientId(), 1, attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void createSession_unknownClientId_staleClientId() {
        assertThat(h.call(createSessionArgs(12345L, 1, attrs(1))).status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void createSession_onlyGssCallbackSecurity_encrAlgUnsupported() {
        ExchangeIdResult eid = h.exchangeId(ALICE, "owner", VERIFIER_1);
        CreateSessionArgs args = new CreateSessionArgs(eid.clientId(), 1, 0, attrs(1), attrs(1), 7,
                List.of(new CallbackSecParms.Gss(1, new byte[4], new byte[4])));

        assertThat(h.call(args).status()).isEqualTo(NfsStatus.NFS4ERR_ENCR_ALG_UNSUPP);
    }
}

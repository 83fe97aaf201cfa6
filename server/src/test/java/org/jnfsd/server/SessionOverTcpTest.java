package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.BackchannelCtlArgs;
import org.jnfsd.protocol.nfs4.session.BindConnToSessionArgs;
import org.jnfsd.protocol.nfs4.session.BindConnToSessionResult;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session operations (RFC 8881 §18.35-18.37, §18.46, §18.50-18.51) over real TCP. */
class SessionOverTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    private static final ChannelAttrs FORE = new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * 1024, 16, 4, null);
    private static final ChannelAttrs BACK = new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null);

    private static ExchangeIdArgs exchangeId(String owner, byte verifier) {
        byte[] v = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        v[7] = verifier;
        return new ExchangeIdArgs(v, owner.getBytes(StandardCharsets.UTF_8), 0, StateProtectArgs.None.INSTANCE,
                List.of());
    }

    private static CreateSessionArgs createSession(long clientId, int sequence) {
        return new CreateSessionArgs(clientId, sequence, 0, FORE, BACK, NfsClient.DEFAULT_CB_PROGRAM,
                List.of(CallbackSecParms.None.INSTANCE));
    }

    @Test
    void exchangeIdThenCreateSession_giveAWorkingSession() throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult ex = raw.compoundWithoutSequence(exchangeId("owner-a", (byte) 1)).result(0, ExchangeIdResult.class);
        assertThat(ex.flags() & ExchangeIdArgs.FLAG_CONFIRMED_R).as("new record is unconfirmed").isZero();

        CompoundReply cs = raw.compoundWithoutSequence(createSession(ex.clientId(), ex.sequenceId()));
        assertThat(cs.status()).isEqualTo(NfsStatus.NFS4_OK);
        CreateSessionResult session = cs.result(0, CreateSessionResult.class);
        assertThat(session.sequence()).isEqualTo(ex.sequenceId());
        assertThat(session.foreChannel().maxRequests()).isBetween(1, FORE.maxRequests());

        CompoundReply seq = raw.compoundWithoutSequence(new SequenceArgs(session.sessionId(), 1, 0, 0, false),
                new ReclaimCompleteArgs(false), Nfs.PUTROOTFH, Nfs.GETFH);
        assertThat(seq.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(seq.result(0, SequenceResult.class).sessionId()).isEqualTo(session.sessionId());

        ExchangeIdResult again = raw.compoundWithoutSequence(exchangeId("owner-a", (byte) 1))
                .result(0, ExchangeIdResult.class);
        assertThat(again.clientId()).as("same owner and verifier: same record").isEqualTo(ex.clientId());
        assertThat(again.flags() & ExchangeIdArgs.FLAG_CONFIRMED_R).as("now confirmed").isNotZero();
    }

    @Test
    void createSession_replayedSequence_returnsCachedSession_andMisorderedIsRefused() throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult ex = raw.compoundWithoutSequence(exchangeId("owner-b", (byte) 2)).result(0, ExchangeIdResult.class);
        CreateSessionResult first = raw.compoundWithoutSequence(createSession(ex.clientId(), ex.sequenceId()))
                .result(0, CreateSessionResult.class);
        CreateSessionResult replay = raw.compoundWithoutSequence(createSession(ex.clientId(), ex.sequenceId()))
                .result(0, CreateSessionResult.class);
        assertThat(replay.sessionId()).as("CREATE_SESSION replay cache").isEqualTo(first.sessionId());
        assertThat(raw.compoundWithoutSequence(createSession(ex.clientId(), ex.sequenceId() + 5)).status())
                .isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(raw.compoundWithoutSequence(createSession(0xDEADL, 1)).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void exchangeId_sameOwnerNewVerifier_isARebootedClient_whoseOldSessionGoesOnConfirm() throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult old = raw.compoundWithoutSequence(exchangeId("owner-c", (byte) 1)).result(0, ExchangeIdResult.class);
        CreateSessionResult oldSession = raw.compoundWithoutSequence(createSession(old.clientId(), old.sequenceId()))
                .result(0, CreateSessionResult.class);

        ExchangeIdResult rebooted = raw.compoundWithoutSequence(exchangeId("owner-c", (byte) 2))
                .result(0, ExchangeIdResult.class);
        assertThat(rebooted.clientId()).as("RFC 8881 §18.35.5 case 5: a new client ID").isNotEqualTo(old.clientId());
        assertThat(rebooted.flags() & ExchangeIdArgs.FLAG_CONFIRMED_R).isZero();
        assertThat(raw.compoundWithoutSequence(new SequenceArgs(oldSession.sessionId(), 1, 0, 0, false)).status())
                .as("the old record lives until the new one is confirmed").isEqualTo(NfsStatus.NFS4_OK);

        CreateSessionResult newSession = raw.compoundWithoutSequence(
                createSession(rebooted.clientId(), rebooted.sequenceId())).result(0, CreateSessionResult.class);
        assertThat(raw.compoundWithoutSequence(new SequenceArgs(oldSession.sessionId(), 2, 0, 0, false)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(raw.compoundWithoutSequence(new SequenceArgs(newSession.sessionId(), 1, 0, 0, false)).status())
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void sequence_unknownSession_isBadSession() throws Exception {
        Nfs c = nfs.user();
        byte[] bogus = new byte[16];
        bogus[0] = 42;
        CompoundReply r = c.client().compoundWithoutSequence(
                new SequenceArgs(new org.jnfsd.protocol.nfs4.session.SessionId(bogus), 1, 0, 0, false), Nfs.PUTROOTFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        c.ok(Nfs.PUTROOTFH, Nfs.GETFH);
    }

    @Test
    void reclaimComplete_twice_isCompleteAlready() throws Exception {
        Nfs c = nfs.user(); // the fixture's client already sent RECLAIM_COMPLETE once
        assertThat(c.status(new ReclaimCompleteArgs(false))).isEqualTo(NfsStatus.NFS4ERR_COMPLETE_ALREADY);
    }

    @Test
    void destroySessionThenClientid_refuseTheSessionAfterwards() throws Exception {
        Nfs c = nfs.user();
        NfsClient raw = c.client();
        assertThat(raw.compoundWithoutSequence(new DestroyClientidArgs(raw.clientId())).status())
                .as("a client with a session is busy").isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);
        assertThat(raw.compoundWithoutSequence(new DestroySessionArgs(raw.sessionId())).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(c.status(Nfs.PUTROOTFH)).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(raw.compoundWithoutSequence(new DestroySessionArgs(raw.sessionId())).status())
                .isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(raw.compoundWithoutSequence(new DestroyClientidArgs(raw.clientId())).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(raw.compoundWithoutSequence(new DestroyClientidArgs(raw.clientId())).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        assertThat(raw.compoundWithoutSequence(createSession(raw.clientId(), 2)).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        nfs.user().ok(Nfs.PUTROOTFH, Nfs.GETFH);
    }

    @Test
    void destroy_throughTheClient_succeeds() throws Exception {
        Nfs c = nfs.user();
        c.client().destroy();
        assertThat(c.client().compoundWithoutSequence(new DestroyClientidArgs(c.client().clientId())).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void bindConnToSession_letsASecondConnectionUseTheSession() throws Exception {
        Nfs owner = nfs.user();
        Nfs other = nfs.user(); // its connection will carry owner's session
        NfsClient raw = other.client();
        int slot = owner.client().foreChannel().maxRequests() - 1; // owner itself only uses low slots here
        int highest = owner.client().foreChannel().maxRequests() - 1;
        BindConnToSessionResult bound = raw.compoundWithoutSequence(new BindConnToSessionArgs(
                owner.client().sessionId(), BindConnToSessionArgs.CDFC4_FORE, false))
                .result(0, BindConnToSessionResult.class);
        assertThat(bound.sessionId()).isEqualTo(owner.client().sessionId());
        assertThat(bound.dir()).isEqualTo(BindConnToSessionResult.CDFS4_FORE);

        CompoundReply viaOther = raw.compoundWithoutSequence(
                new SequenceArgs(owner.client().sessionId(), 1, slot, highest, false), Nfs.PUTROOTFH, Nfs.GETFH);
        assertThat(viaOther.status()).isEqualTo(NfsStatus.NFS4_OK);
        owner.ok(Nfs.PUTROOTFH, Nfs.GETFH);
    }

    @Test
    void bindConnToSession_unknownSession_isBadSession() throws Exception {
        NfsClient raw = nfs.user().client();
        byte[] bogus = new byte[16];
        bogus[3] = 7;
        assertThat(raw.compoundWithoutSequence(new BindConnToSessionArgs(
                new org.jnfsd.protocol.nfs4.session.SessionId(bogus), BindConnToSessionArgs.CDFC4_FORE, false)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void backchannelCtl_isAccepted() throws Exception {
        Nfs c = nfs.user();
        assertThat(c.status(new BackchannelCtlArgs(NfsClient.DEFAULT_CB_PROGRAM, List.of(CallbackSecParms.None.INSTANCE))))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void minorVersion1_isServedToo() throws Exception {
        Nfs c = nfs.client(NfsServerFixture.USER, 1);
        c.ok(Nfs.PUTROOTFH, Nfs.GETFH);
    }
}

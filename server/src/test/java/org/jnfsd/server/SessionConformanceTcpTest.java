package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session corners a conformance suite checks (issue 17, "wrong answers"), over real TCP with the
 * project's client: CREATE_SESSION's callback security and channel checks (RFC 8881 §18.36),
 * DESTROY_SESSION from an unbound connection (§18.37.3), EXCHANGE_ID with SP4_SSV (§18.35.3), and
 * OPEN before RECLAIM_COMPLETE (§18.51.3).
 */
class SessionConformanceTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    private static final ChannelAttrs FORE = new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * 1024, 16, 4, null);
    private static final ChannelAttrs BACK = new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null);
    private static final byte[] SHA256_OID = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
    private static final byte[] AES256_CBC_OID = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01,
            0x2a};

    private static ExchangeIdArgs exchangeId(String owner, StateProtectArgs protect) {
        byte[] v = new byte[ExchangeIdArgs.VERIFIER_SIZE];
        v[7] = 1;
        return new ExchangeIdArgs(v, owner.getBytes(StandardCharsets.UTF_8), 0, protect, List.of());
    }

    private ExchangeIdResult newRecord(NfsClient raw, String owner) throws Exception {
        return raw.compoundWithoutSequence(exchangeId(owner, StateProtectArgs.None.INSTANCE))
                .result(0, ExchangeIdResult.class);
    }

    @Test
    void createSession_emptyCallbackSecurity_isAuthNone_andSucceeds() throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult ex = newRecord(raw, "empty-cb-sec");
        CompoundReply cs = raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), ex.sequenceId(), 0, FORE,
                BACK, NfsClient.DEFAULT_CB_PROGRAM, List.of()));
        assertThat(cs.status()).as("RFC 8881 §18.36: an empty csa_sec_parms offers AUTH_NONE, as knfsd reads it")
                .isEqualTo(NfsStatus.NFS4_OK);
        CreateSessionResult session = cs.result(0, CreateSessionResult.class);
        assertThat(raw.compoundWithoutSequence(new SequenceArgs(session.sessionId(), 1, 0, 0, false)).status())
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void createSession_tooSmallChannel_isTooSmall_beforeTheCallbackSecurityIsLookedAt() throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult ex = newRecord(raw, "too-small");
        ChannelAttrs tiny = new ChannelAttrs(0, 1 << 20, 16, 0, 16, 4, null);
        // an unusable callback flavor (RPCSEC_GSS) and a fore channel too small for any reply
        CompoundReply cs = raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), ex.sequenceId(), 0, tiny,
                BACK, NfsClient.DEFAULT_CB_PROGRAM, List.of(new CallbackSecParms.Gss(1, new byte[4], new byte[4]))));
        assertThat(cs.status()).as("§18.36.4: the channel attributes come first").isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
    }

    @Test
    void createSession_backChannelTooSmallForCbSequencePlusCbRecall_isTooSmall_theSmallestThatFitsIsAccepted()
            throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult ex = newRecord(raw, "small-back");
        List<CallbackSecParms> none = List.of(CallbackSecParms.None.INSTANCE);
        // with AUTH_NONE: RPC call header 40 bytes, CB_COMPOUND header 16, CB_SEQUENCE 40, CB_RECALL
        // with a 128-byte handle 156; the reply: RPC 24, CB_COMPOUND 12, CB_SEQUENCE 40, CB_RECALL 8
        int request = 252;
        int response = 84;
        int seq = ex.sequenceId();
        ChannelAttrs[] tooSmall = {
            new ChannelAttrs(0, request - 1, 4096, 0, 2, 1, null),
            new ChannelAttrs(0, 4096, response - 1, 0, 2, 1, null),
            new ChannelAttrs(0, 4096, 4096, 0, 1, 1, null)};
        for (ChannelAttrs back : tooSmall) {
            assertThat(raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), seq++, 0, FORE, back,
                    NfsClient.DEFAULT_CB_PROGRAM, none)).status())
                    .as("RFC 8881 §18.36.3, knfsd's check_backchannel_attrs: %s", back)
                    .isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
        }
        // an AUTH_SYS credential makes each call longer: 8 + 20 + the machine name ("host1234", 8) + 4 per gid
        List<CallbackSecParms> sys = List.of(new CallbackSecParms.Sys(0, "host1234", 0, 0, new int[] {5}));
        ChannelAttrs sysBack = new ChannelAttrs(0, request + 32 - 1, response, 0, 2, 1, null);
        assertThat(raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), seq++, 0, FORE, sysBack,
                NfsClient.DEFAULT_CB_PROGRAM, sys)).status()).isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);

        CompoundReply fits = raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), seq++, 0, FORE,
                new ChannelAttrs(0, request + 32, response, 0, 2, 1, null), NfsClient.DEFAULT_CB_PROGRAM, sys));
        assertThat(fits.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), seq, 0, FORE,
                new ChannelAttrs(0, request, response, 0, 2, 1, null), NfsClient.DEFAULT_CB_PROGRAM, none)).status())
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void createSession_tinyCachedResponseSize_isNegotiatedDown_notRefused() throws Exception {
        NfsClient raw = nfs.user().client();
        ExchangeIdResult ex = newRecord(raw, "tiny-cached");
        ChannelAttrs smallCache = new ChannelAttrs(0, 1 << 20, 1 << 20, 0, 16, 4, null);
        CompoundReply cs = raw.compoundWithoutSequence(new CreateSessionArgs(ex.clientId(), ex.sequenceId(), 0,
                smallCache, BACK, NfsClient.DEFAULT_CB_PROGRAM, List.of(CallbackSecParms.None.INSTANCE)));
        assertThat(cs.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(cs.result(0, CreateSessionResult.class).foreChannel().maxResponseSizeCached()).isZero();
    }

    @Test
    void open_beforeReclaimComplete_isGrace_evenOutsideAGracePeriod() throws Exception {
        try (NfsClient c = NfsClient.connect(nfs.address(), 1, NfsServerFixture.USER)) {
            OpenArgs open = new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                    new OpenOwner(c.clientId(), "o".getBytes(StandardCharsets.UTF_8)),
                    new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("x"));
            assertThat(c.compound(Nfs.PUTROOTFH, open).status()).as("RFC 8881 §18.51.3, as knfsd")
                    .isEqualTo(NfsStatus.NFS4ERR_GRACE);
            c.reclaimComplete();
            assertThat(c.compound(Nfs.PUTROOTFH, open).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void destroySession_fromAConnectionNotBoundToIt_isConnNotBound() throws Exception {
        Nfs owner = nfs.user();
        Nfs other = nfs.user();
        CompoundReply r = other.client().compoundWithoutSequence(new DestroySessionArgs(owner.client().sessionId()));
        assertThat(r.status()).as("RFC 8881 §18.37.3").isEqualTo(NfsStatus.NFS4ERR_CONN_NOT_BOUND_TO_SESSION);
        owner.ok(Nfs.PUTROOTFH, Nfs.GETFH);

        CompoundReply underOtherSession = other.call(new DestroySessionArgs(owner.client().sessionId()));
        assertThat(underOtherSession.status()).as("SEQUENCE of another session does not bind this one")
                .isEqualTo(NfsStatus.NFS4ERR_CONN_NOT_BOUND_TO_SESSION);
        owner.ok(Nfs.PUTROOTFH, Nfs.GETFH);

        assertThat(owner.client().compoundWithoutSequence(new DestroySessionArgs(owner.client().sessionId())).status())
                .as("its own connection may").isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void exchangeId_ssvUnderAuthSys_isInval_andMalformedSsvIsInval() throws Exception {
        NfsClient raw = nfs.user().client();
        int[] none = new int[0];
        var wellFormed = new StateProtectArgs.Ssv(none, none, List.of(SHA256_OID), List.of(AES256_CBC_OID), 2, 1);
        assertThat(raw.compoundWithoutSequence(exchangeId("ssv-a", wellFormed)).status())
                .as("§18.35.3: SP4_SSV MUST be sent with RPCSEC_GSS integrity or privacy")
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        var noHash = new StateProtectArgs.Ssv(none, none, List.of(), List.of(AES256_CBC_OID), 2, 1);
        assertThat(raw.compoundWithoutSequence(exchangeId("ssv-b", noHash)).status())
                .as("§18.35.3: empty ssp_hash_algs").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        var noWindow = new StateProtectArgs.Ssv(none, none, List.of(SHA256_OID), List.of(AES256_CBC_OID), 0, 1);
        assertThat(raw.compoundWithoutSequence(exchangeId("ssv-c", noWindow)).status())
                .as("§18.35.3: ssp_window zero").isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}

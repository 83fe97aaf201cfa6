package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.ALICE;
import static org.jnfsd.core.ops.session.Harness.BOB;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_1;
import static org.jnfsd.core.ops.session.Harness.VERIFIER_2;
import static org.jnfsd.core.ops.session.Harness.attrs;
import static org.jnfsd.core.ops.session.Harness.exchangeIdArgs;
import static org.jnfsd.core.ops.session.Harness.seq;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.protocol.nfs4.session.StateProtectResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class ExchangeIdTest {
    private final Harness h = new Harness();

    private static final int UPDATE = ExchangeIdArgs.FLAG_UPD_CONFIRMED_REC_A;

    @Test
    void exchangeId_newOwner_unconfirmedRecordWithNonPnfsFlag() throws Exception {
        ExchangeIdResult r = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(r.flags()).isEqualTo(ExchangeIdArgs.FLAG_USE_NON_PNFS);
        assertThat(r.sequenceId()).isEqualTo(1);
        assertThat(r.stateProtect()).isEqualTo(StateProtectResult.None.INSTANCE);
        assertThat(r.serverOwner().majorId()).isNotEmpty().isEqualTo(r.serverScope());
        assertThat(r.implId()).hasSize(1);
        assertThat(h.server.sessions().client(r.clientId()).state().name()).isEqualTo("UNCONFIRMED");
    }

    @Test
    void exchangeId_twoOwners_distinctClientIdsAndSameServerOwner() {
        ExchangeIdResult a = h.exchangeId(ALICE, "a", VERIFIER_1);
        ExchangeIdResult b = h.exchangeId(ALICE, "b", VERIFIER_1);

        assertThat(a.clientId()).isNotEqualTo(b.clientId());
        assertThat(a.serverOwner().majorId()).isEqualTo(b.serverOwner().majorId());
        assertThat(a.serverOwner().minorId()).isEqualTo(b.serverOwner().minorId());
    }

    @Test
    void exchangeId_confirmedSameVerifierSamePrincipal_sameClientIdConfirmed() {
        CreateSessionResult cs = h.newSession("owner", attrs(1));
        ExchangeIdResult again = h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(again.flags()).isEqualTo(ExchangeIdArgs.FLAG_USE_NON_PNFS | ExchangeIdArgs.FLAG_CONFIRMED_R);
        assertThat(again.sequenceId()).isEqualTo(2);
        assertThat(h.call(seq(cs.sessionId(), 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void exchangeId_confirmedOtherPrincipalWithSession_clidInUse() {
        h.newSession("owner", attrs(1));

        Harness.Reply r = h.call(BOB, null, exchangeIdArgs("owner", VERIFIER_1, 0));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_CLID_INUSE);
    }

    @Test
    void exchangeId_confirmedOtherPrincipalWithoutState_replacesRecord() {
        ExchangeIdResult first = h.exchangeId(ALICE, "owner", VERIFIER_1);
        CreateSessionResult cs = h.createSession(first.clientId(), first.sequenceId(), attrs(1));
        assertThat(h.call(new DestroySessionArgs(cs.sessionId())).status()).isEqualTo(NfsStatus.NFS4_OK);

        ExchangeIdResult bob = h.exchangeId(BOB, "owner", VERIFIER_1);

        assertThat(bob.clientId()).isNotEqualTo(first.clientId());
        assertThat(bob.flags() & ExchangeIdArgs.FLAG_CONFIRMED_R).isZero();
        assertThat(h.call(Harness.createSessionArgs(first.clientId(), 2, attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }

    @Test
    void exchangeId_newVerifierConfirmedByCreateSession_oldClientOpensReleased() throws Exception {
        ExchangeIdResult old = h.exchangeId(ALICE, "owner", VERIFIER_1);
        h.createSession(old.clientId(), old.sequenceId(), attrs(1));
        FileHandle file = new FileHandle(1, new Inode(new byte[] {7}));
        h.server.opens().open(old.clientId(), new OpenOwner(old.clientId(), new byte[] {1}), file,
                ShareAccess.ACCESS_READ, 0);
        ExchangeIdResult restarted = h.exchangeId(ALICE, "owner", VERIFIER_2);
        assertThat(h.server.opens().openCount(old.clientId())).isEqualTo(1);

        h.createSession(restarted.clientId(), restarted.sequenceId(), attrs(1));

        assertThat(h.server.opens().openCount(old.clientId())).isZero();
    }

    @Test
    void exchangeId_unconfirmedReplaced_newClientIdAndOldStale() {
        ExchangeIdResult first = h.exchangeId(ALICE, "owner", VERIFIER_1);
        ExchangeIdResult second = h.exchangeId(ALICE, "owner", VERIFIER_2);

        assertThat(second.clientId()).isNotEqualTo(first.clientId());
        assertThat(h.call(Harness.createSessionArgs(first.clientId(), 1, attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        assertThat(h.call(Harness.createSessionArgs(second.clientId(), 1, attrs(1))).status())
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void exchangeId_confirmedNewVerifier_oldRecordLivesUntilNewOneConfirmed() {
        CreateSessionResult old = h.newSession("owner", attrs(1));

        ExchangeIdResult restarted = h.exchangeId(ALICE, "owner", VERIFIER_2);

        assertThat(restarted.flags() & ExchangeIdArgs.FLAG_CONFIRMED_R).isZero();
        assertThat(h.call(seq(old.sessionId(), 1, 0, false)).status()).isEqualTo(NfsStatus.NFS4_OK);
        h.createSession(restarted.clientId(), restarted.sequenceId(), attrs(1));
        assertThat(h.call(seq(old.sessionId(), 2, 0, false)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
    }

    @Test
    void exchangeId_updateOfConfirmedRecord_sameClientIdConfirmed() {
        ExchangeIdResult first = h.exchangeId(ALICE, "owner", VERIFIER_1);
        h.createSession(first.clientId(), first.sequenceId(), attrs(1));

        Harness.Reply r = h.call(exchangeIdArgs("owner", VERIFIER_1, UPDATE));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.result(0, ExchangeIdResult.class).clientId()).isEqualTo(first.clientId());
        assertThat(r.result(0, ExchangeIdResult.class).flags() & ExchangeIdArgs.FLAG_CONFIRMED_R).isNotZero();
    }

    @Test
    void exchangeId_updateWithOtherVerifier_notSame() {
        h.newSession("owner", attrs(1));

        assertThat(h.call(exchangeIdArgs("owner", VERIFIER_2, UPDATE)).status()).isEqualTo(NfsStatus.NFS4ERR_NOT_SAME);
    }

    @Test
    void exchangeId_updateByOtherPrincipal_perm() {
        h.newSession("owner", attrs(1));

        assertThat(h.call(BOB, null, exchangeIdArgs("owner", VERIFIER_1, UPDATE)).status())
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
    }

    @Test
    void exchangeId_updateWithoutConfirmedRecord_noent() {
        h.exchangeId(ALICE, "owner", VERIFIER_1);

        assertThat(h.call(exchangeIdArgs("owner", VERIFIER_1, UPDATE)).status()).isEqualTo(NfsStatus.NFS4ERR_NOENT);
    }

    @Test
    void exchangeId_machCredOverAuthSys_inval() {
        ExchangeIdArgs args = new ExchangeIdArgs(VERIFIER_1, "o".getBytes(StandardCharsets.UTF_8), 0,
                new StateProtectArgs.MachCred(new int[] {0}, new int[0]), List.of());

        assertThat(h.call(args).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void exchangeId_ssvWithoutGss_inval() {
        ExchangeIdArgs args = new ExchangeIdArgs(VERIFIER_1, "o".getBytes(StandardCharsets.UTF_8), 0,
                new StateProtectArgs.Ssv(new int[0], new int[0], List.of(new byte[] {1, 2}), List.of(new byte[] {3}), 4,
                        1),
                List.of());

        // RFC 8881 §18.35.3: SP4_SSV MUST come with RPCSEC_GSS integrity or privacy
        assertThat(h.call(args).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void exchangeId_confirmedFlagInArguments_inval() {
        assertThat(h.call(exchangeIdArgs("o", VERIFIER_1, ExchangeIdArgs.FLAG_CONFIRMED_R)).status())
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void exchangeId_notAloneWithoutSequence_notOnlyOp() {
        Harness.Reply r = h.call(exchangeIdArgs("o", VERIFIER_1, 0), exchangeIdArgs("p", VERIFIER_1, 0));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_NOT_ONLY_OP);
        assertThat(r.decoded().results()).hasSize(1);
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;
import static org.jnfsd.server.DelegationFixture.openF;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OPEN with CLAIM_DELEG_CUR_FH / CLAIM_DELEGATE_CUR (RFC 8881 §18.16.3) over real TCP, as the Linux
 * client sends them when a delegation it holds is recalled while it has local opens: the holder
 * turns its delegated opens into real ones, during the recall, with the delegation stateid, and
 * is not itself delayed by the recall; a stateid that is not its live delegation on that file is
 * NFS4ERR_BAD_STATEID. CLAIM_DELEG_PREV_FH and CLAIM_DELEGATE_PREV are NFS4ERR_NOTSUPP, as knfsd
 * (no delegation survives a client restart here).
 */
class OpenDelegClaimTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "deleg-claim", 1000, 1000, new int[0]);
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static OpenArgs open(NfsClient c, String owner, int access, OpenClaim claim) {
        return new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(c.clientId(), owner.getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(), claim);
    }

    @Test
    void delegCurFh_duringRecall_holderGetsAnOpen_notDelayed_thenReturnsAndOtherProceeds() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        try (NfsClient a = NfsClient.connect(address, 2, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 2, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG), GETFH);
            assertThat(ra.status()).isEqualTo(NfsStatus.NFS4_OK);
            StateId deleg = ((OpenDelegation.Read) ra.result(2, OpenResult.class).delegation()).stateId();
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
            callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(30));

            // the holder's local opens become server opens while the recall runs
            CompoundReply cur = a.compound(new PutFhArgs(fh),
                    open(a, "local-open-1", ShareAccess.ACCESS_READ, new OpenClaim.DelegCurFh(deleg)));
            assertThat(cur.status()).isEqualTo(NfsStatus.NFS4_OK);
            OpenResult opened = cur.result(2, OpenResult.class);
            assertThat(opened.stateId()).isNotEqualTo(deleg);
            assertThat(opened.delegation()).as("no second delegation").isNotInstanceOf(OpenDelegation.Read.class);
            CompoundReply byName = a.compound(PUTROOTFH,
                    open(a, "local-open-2", ShareAccess.ACCESS_READ, new OpenClaim.DelegateCur(deleg, "f")));
            assertThat(byName.status()).isEqualTo(NfsStatus.NFS4_OK);

            assertThat(a.compound(new PutFhArgs(fh), new DelegreturnArgs(deleg)).status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(b.compound(PUTROOTFH, openF(b, ShareAccess.ACCESS_WRITE)).status())
                    .as("A's read opens do not deny B's write").isEqualTo(NfsStatus.NFS4_OK);
            assertThat(a.compound(new PutFhArgs(fh),
                    open(a, "late", ShareAccess.ACCESS_READ, new OpenClaim.DelegCurFh(deleg))).status())
                    .as("the returned delegation").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        }
    }

    @Test
    void delegCurFh_notTheClientsDelegation_badStateid_prevClaimsNotsupp() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        InetSocketAddress address = server.start();
        try (NfsClient a = NfsClient.connect(address, 2, CRED, callbacks);
                NfsClient b = NfsClient.connect(address, 2, CRED)) {
            a.reclaimComplete();
            b.reclaimComplete();
            awaitChannelUp(server, a);
            CompoundReply ra = a.compound(PUTROOTFH, openF(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG), GETFH);
            StateId deleg = ((OpenDelegation.Read) ra.result(2, OpenResult.class).delegation()).stateId();
            StateId aOpen = ra.result(2, OpenResult.class).stateId();
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            assertThat(b.compound(new PutFhArgs(fh),
                    open(b, "o", ShareAccess.ACCESS_READ, new OpenClaim.DelegCurFh(deleg))).status())
                    .as("another client's delegation").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(a.compound(new PutFhArgs(fh),
                    open(a, "o", ShareAccess.ACCESS_READ, new OpenClaim.DelegCurFh(aOpen))).status())
                    .as("an open stateid is no delegation").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(a.compound(PUTROOTFH,
                    open(a, "o", ShareAccess.ACCESS_READ, new OpenClaim.DelegCurFh(deleg))).status())
                    .as("the delegation is on f, not the root").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(a.compound(new PutFhArgs(fh),
                    open(a, "o", ShareAccess.ACCESS_READ, new OpenClaim.DelegPrevFh())).status())
                    .isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
            assertThat(a.compound(PUTROOTFH,
                    open(a, "o", ShareAccess.ACCESS_READ, new OpenClaim.DelegatePrev("f"))).status())
                    .isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        }
    }
}

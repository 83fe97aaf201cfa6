package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.DelegationFixture.awaitChannelUp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OPEN4_SHARE_ACCESS_WANT_OPEN_XOR_DELEGATION (RFC 9754, "OPEN Grants Only One of Open or
 * Delegation Stateid") over real TCP, with knfsd's answers to what the RFC leaves open: a granted
 * delegation replaces a new open (anonymous stateid, OPEN4_RESULT_NO_OPEN_STATEID, no open left
 * on the server, DELEGRETURN alone ends it); without a delegation, with a deny mode, or when the
 * owner already has the file open, the open is a normal one. NFSv4.1 refuses the bit.
 */
class OpenXorDelegationTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "xor-deleg", 1000, 1000, new int[0]);
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final int XOR = ShareAccess.WANT_OPEN_XOR_DELEGATION;

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = DelegationFixture.serverWithFileF().build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static OpenArgs open(NfsClient c, String owner, int access, int deny) {
        return new OpenArgs(0, access, deny, new OpenOwner(c.clientId(), owner.getBytes(StandardCharsets.UTF_8)),
                new OpenHow.NoCreate(), new OpenClaim.Null("f"));
    }

    private NfsClient holder() throws Exception {
        NfsClient a = NfsClient.connect(address, 2, CRED, callbacks);
        a.reclaimComplete();
        awaitChannelUp(server, a);
        return a;
    }

    @Test
    void delegationGranted_noOpenStateid_ioByTheDelegation_closeRefused_delegreturnEndsIt() throws Exception {
        try (NfsClient a = holder(); NfsClient b = NfsClient.connect(address, 2, CRED)) {
            b.reclaimComplete();
            CompoundReply ra = a.compound(PUTROOTFH,
                    open(a, "a", ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG | XOR, ShareAccess.DENY_NONE), GETFH);
            assertThat(ra.status()).isEqualTo(NfsStatus.NFS4_OK);
            OpenResult r = ra.result(2, OpenResult.class);
            byte[] fh = ra.result(3, GetFhResult.class).fh();

            assertThat(r.delegation()).isInstanceOf(OpenDelegation.Read.class);
            assertThat(r.rflags() & OpenResult.RESULT_NO_OPEN_STATEID).as("OPEN4_RESULT_NO_OPEN_STATEID").isNotZero();
            assertThat(r.stateId()).as("the anonymous stateid stands for no open").isEqualTo(StateId.ANONYMOUS);
            StateId deleg = ((OpenDelegation.Read) r.delegation()).stateId();
            assertThat(a.compound(new PutFhArgs(fh), new ReadArgs(deleg, 0, 16)).status())
                    .as("I/O by the delegation stateid").isEqualTo(NfsStatus.NFS4_OK);
            assertThat(a.compound(new PutFhArgs(fh), new CloseArgs(0, r.stateId())).status())
                    .as("there is no open to CLOSE").isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(b.compound(PUTROOTFH, open(b, "b", ShareAccess.ACCESS_WRITE, ShareAccess.DENY_NONE)).status())
                    .as("the delegation is what guards A's access: recalled").isEqualTo(NfsStatus.NFS4ERR_DELAY);

            assertThat(a.compound(new PutFhArgs(fh), new DelegreturnArgs(deleg)).status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(b.compound(PUTROOTFH, open(b, "b", ShareAccess.ACCESS_WRITE, ShareAccess.DENY_READ)).status())
                    .as("A holds no open after DELEGRETURN: B may deny read").isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void noDelegation_isANormalOpen() throws Exception {
        try (NfsClient a = holder(); NfsClient b = NfsClient.connect(address, 2, CRED)) {
            b.reclaimComplete();
            assertThat(b.compound(PUTROOTFH, open(b, "b", ShareAccess.ACCESS_WRITE, ShareAccess.DENY_NONE)).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            CompoundReply ra = a.compound(PUTROOTFH,
                    open(a, "a", ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG | XOR, ShareAccess.DENY_NONE), GETFH);
            OpenResult r = ra.result(2, OpenResult.class);

            assertThat(r.delegation()).as("B writes: contention").isInstanceOf(OpenDelegation.NoneExt.class);
            assertThat(r.rflags() & OpenResult.RESULT_NO_OPEN_STATEID).isZero();
            assertThat(r.stateId()).isNotEqualTo(StateId.ANONYMOUS);
            assertThat(a.compound(new PutFhArgs(ra.result(3, GetFhResult.class).fh()), new CloseArgs(0, r.stateId()))
                    .status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void ownerAlreadyHoldingAnOpen_getsItUpgraded_andTheDelegationBeside() throws Exception {
        try (NfsClient a = holder()) {
            CompoundReply first = a.compound(PUTROOTFH,
                    open(a, "a", ShareAccess.ACCESS_READ | ShareAccess.WANT_NO_DELEG, ShareAccess.DENY_NONE), GETFH);
            StateId held = first.result(2, OpenResult.class).stateId();
            byte[] fh = first.result(3, GetFhResult.class).fh();

            OpenResult r = a.compound(PUTROOTFH,
                    open(a, "a", ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG | XOR, ShareAccess.DENY_NONE))
                    .result(2, OpenResult.class);

            assertThat(r.delegation()).isInstanceOf(OpenDelegation.Read.class);
            assertThat(r.rflags() & OpenResult.RESULT_NO_OPEN_STATEID).isZero();
            assertThat(r.stateId().other()).as("the open the owner holds").isEqualTo(held.other());
            assertThat(r.stateId().seqid()).isEqualTo(held.seqid() + 1);
            assertThat(a.compound(new PutFhArgs(fh), new CloseArgs(0, r.stateId())).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void denyMode_getsNoDelegation_andKeepsItsShareReservation() throws Exception {
        try (NfsClient a = holder(); NfsClient b = NfsClient.connect(address, 2, CRED)) {
            b.reclaimComplete();
            OpenResult r = a.compound(PUTROOTFH,
                    open(a, "a", ShareAccess.ACCESS_READ | ShareAccess.WANT_READ_DELEG | XOR, ShareAccess.DENY_WRITE))
                    .result(2, OpenResult.class);

            assertThat(r.delegation()).isNotInstanceOf(OpenDelegation.Read.class);
            assertThat(r.rflags() & OpenResult.RESULT_NO_OPEN_STATEID).isZero();
            assertThat(b.compound(PUTROOTFH, open(b, "b", ShareAccess.ACCESS_WRITE, ShareAccess.DENY_NONE)).status())
                    .as("A's deny write stands").isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        }
    }

    @Test
    void minorVersion1_refusesTheBit() throws Exception {
        try (NfsClient v41 = NfsClient.connect(address, 1, CRED)) {
            v41.reclaimComplete();
            assertThat(v41.compound(PUTROOTFH,
                    open(v41, "a", ShareAccess.ACCESS_READ | XOR, ShareAccess.DENY_NONE)).status())
                    .as("an NFSv4.2 extension").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        }
    }
}

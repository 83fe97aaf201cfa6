package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.jnfsd.client.NfsV40Client;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;
import org.jnfsd.protocol.nfs4.v40.NetAddr;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdConfirmArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NFSv4.0 client records over TCP: SETCLIENTID and SETCLIENTID_CONFIRM (RFC 7530 §16.33.5,
 * §16.34.5), RENEW, lease renewal by stateful operations, and I/O by a 4.0 client. The server runs
 * on a manual clock so lease times are exact.
 */
class V40ClientIdTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "v40-host", 1000, 1000, new int[0]);
    private static final Credential OTHER = new Credential.AuthSys(0, "other-host", 2000, 2000, new int[0]);
    private static final VoidArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final byte[] ID = "Linux NFSv4.0 v40-host".getBytes(StandardCharsets.UTF_8);
    private static final CallbackClient CB = new CallbackClient(0x40000000, new NetAddr("tcp", "127.0.0.1.3.232"));
    private static final CallbackClient CB2 = new CallbackClient(0x40000000, new NetAddr("tcp", "127.0.0.1.3.233"));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(clock,
                MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0)))).port(0).clock(clock)
                .config(ServerConfig.builder().leaseTime(Duration.ofSeconds(90)).build()).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] verifier(int n) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) n};
    }

    private static SetClientIdResult setClientId(NfsV40Client c, Credential cred, byte[] verifier, CallbackClient cb)
            throws Exception {
        CompoundReply r = c.compound(cred, new SetClientIdArgs(verifier, ID, cb, 7));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(0, SetClientIdResult.class);
    }

    private static NfsStatus confirm(NfsV40Client c, long clientId, byte[] confirm) throws Exception {
        return c.compound(new SetClientIdConfirmArgs(clientId, confirm)).status();
    }

    private static NfsStatus renew(NfsV40Client c, long clientId) throws Exception {
        return c.compound(new RenewArgs(clientId)).status();
    }

    private ClientRecord record(long clientId) throws Exception {
        return server.context().sessions().client(clientId);
    }

    @Test
    void setClientId_thenConfirm_recordActiveAndRenewable_confirmRetransmissionOk() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);

            assertThat(renew(c, s.clientId())).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
            assertThat(confirm(c, s.clientId(), s.confirm())).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(record(s.clientId()).state()).isEqualTo(ClientRecord.State.ACTIVE);
            assertThat(record(s.clientId()).v40().callback()).isEqualTo(CB);
            assertThat(renew(c, s.clientId())).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(confirm(c, s.clientId(), s.confirm())).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void confirm_wrongVerifier_staleClientid() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);

            assertThat(confirm(c, s.clientId(), verifier(99))).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
            assertThat(record(s.clientId()).state()).isEqualTo(ClientRecord.State.UNCONFIRMED);
        }
    }

    @Test
    void setClientId_otherPrincipalOfAConfirmedId_clidInUse() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());

            CompoundReply r = c.compound(OTHER, new SetClientIdArgs(verifier(2), ID, CB, 7));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_CLID_INUSE);
            assertThat(r.results().getFirst()).isInstanceOf(SetClientIdResult.InUse.class);
            assertThat(renew(c, s.clientId())).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void confirm_otherPrincipal_clidInUse() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);

            CompoundReply r = c.compound(OTHER, new SetClientIdConfirmArgs(s.clientId(), s.confirm()));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_CLID_INUSE);
        }
    }

    @Test
    void setClientId_sameVerifier_callbackUpdateKeepsClientidAndState() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());
            StateId open = open(c, s.clientId(), "kept");

            SetClientIdResult update = setClientId(c, CRED, verifier(1), CB2);

            assertThat(update.clientId()).isEqualTo(s.clientId());
            assertThat(update.confirm()).isNotEqualTo(s.confirm());
            assertThat(record(s.clientId()).v40().callback()).isEqualTo(CB);
            assertThat(confirm(c, s.clientId(), update.confirm())).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(record(s.clientId()).v40().callback()).isEqualTo(CB2);
            assertThat(c.compound(PUTROOTFH, new ReadArgs(open, 0, 10)).status()).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
            assertThat(server.context().opens().openCount(s.clientId())).isEqualTo(1);
        }
    }

    @Test
    void setClientId_newVerifier_rebootedClientReplacesTheOldRecordAtConfirm() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult before = setClientId(c, CRED, verifier(1), CB);
            confirm(c, before.clientId(), before.confirm());
            open(c, before.clientId(), "old");

            SetClientIdResult after = setClientId(c, CRED, verifier(2), CB);

            assertThat(after.clientId()).isNotEqualTo(before.clientId());
            assertThat(renew(c, before.clientId())).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(confirm(c, after.clientId(), after.confirm())).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(renew(c, before.clientId())).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
            assertThat(server.context().opens().openCount(before.clientId())).isZero();
            assertThat(renew(c, after.clientId())).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void renew_clientidOfAnotherServerInstance_staleClientid() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());
            long otherEpoch = s.clientId() ^ (1L << 40);

            assertThat(renew(c, otherEpoch)).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        }
    }

    @Test
    void openWriteReadClose_byA40Client_andEachRenewsTheLease() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());
            StateId open = open(c, s.clientId(), "data");
            byte[] fh = fileHandle(c, "data");
            Instant renewedAtOpen = record(s.clientId()).lastRenewed();

            clock.advance(Duration.ofSeconds(60));
            CompoundReply w = c.compound(Nfs.putfh(fh), new WriteArgs(open, 0, StableHow.FILE_SYNC4,
                    Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.UTF_8))));
            Instant renewedAtWrite = record(s.clientId()).lastRenewed();
            clock.advance(Duration.ofSeconds(60));
            CompoundReply r = c.compound(Nfs.putfh(fh), new ReadArgs(open, 0, 100));
            Instant renewedAtRead = record(s.clientId()).lastRenewed();
            CompoundReply close = c.compound(Nfs.putfh(fh), new CloseArgs(1, open));

            assertThat(w.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(w.result(1, WriteResult.class).count()).isEqualTo(5);
            assertThat(r.result(1, ReadResult.class).data()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(close.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(renewedAtWrite).isEqualTo(renewedAtOpen.plusSeconds(60));
            assertThat(renewedAtRead).isEqualTo(renewedAtOpen.plusSeconds(120));
            assertThat(server.context().v40States().size()).as("the closed stateid, kept for a retransmitted CLOSE").isEqualTo(1);
        }
    }

    @Test
    void leaseLapsed_courtesyClient_renewResumesItWithItsState() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());
            open(c, s.clientId(), "kept");

            clock.advance(Duration.ofSeconds(91));
            server.context().laundromat().runOnce();
            ClientRecord.State lapsed = record(s.clientId()).state();
            NfsStatus renewed = renew(c, s.clientId());

            assertThat(lapsed).isEqualTo(ClientRecord.State.COURTESY);
            assertThat(renewed).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(record(s.clientId()).state()).isEqualTo(ClientRecord.State.ACTIVE);
            assertThat(server.context().opens().openCount(s.clientId())).isEqualTo(1);
        }
    }

    @Test
    void openForRead_v40Client_noDelegationWithoutACallbackPath() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());
            open(c, s.clientId(), "file");

            CompoundReply r = c.compound(PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE,
                    new OpenOwner(s.clientId(), "reader".getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(),
                    new OpenClaim.Null("file")));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(r.result(1, OpenResult.class).delegation())
                    .isInstanceOf(org.jnfsd.protocol.nfs4.io.OpenDelegation.None.class);
            assertThat(server.context().delegations().liveByClient()).doesNotContainKey(s.clientId());
        }
    }

    @Test
    void exchangeId_ownerOfAConfirmed40Client_clidInUse_andThe40ClientKeepsItsRecord() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);
            confirm(c, s.clientId(), s.confirm());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.jnfsd.client.NfsClient.connect(address, 1, CRED,
                    java.util.List.of(), ID, verifier(1)).close())
                    .isInstanceOfSatisfying(org.jnfsd.client.NfsStatusException.class,
                            e -> assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_CLID_INUSE));
            assertThat(renew(c, s.clientId())).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void open_unconfirmedClientid_staleClientid() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(address, CRED)) {
            SetClientIdResult s = setClientId(c, CRED, verifier(1), CB);

            CompoundReply r = c.compound(PUTROOTFH, openArgs(s.clientId(), "x"));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        }
    }

    private static OpenArgs openArgs(long clientId, String name) {
        return new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                new OpenOwner(clientId, ("owner-" + name).getBytes(StandardCharsets.UTF_8)),
                new OpenHow.Unchecked(Fattr.builder().mode(0644).build()), new OpenClaim.Null(name));
    }

    private static StateId open(NfsV40Client c, long clientId, String name) throws Exception {
        CompoundReply r = c.compound(PUTROOTFH, openArgs(clientId, name));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(1, OpenResult.class).stateId();
    }

    private static byte[] fileHandle(NfsV40Client c, String name) throws Exception {
        CompoundReply r = c.compound(PUTROOTFH, new org.jnfsd.protocol.nfs4.namespace.LookupArgs(name.getBytes(StandardCharsets.UTF_8)),
                new VoidArgs(Opcode.GETFH));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(2, org.jnfsd.protocol.nfs4.namespace.GetFhResult.class).fh();
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jnfsd.client.NfsV40Client;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.recovery.SqliteRecoveryStore;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;
import org.jnfsd.protocol.nfs4.v40.NetAddr;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdConfirmArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An NFSv4.0 client across a server restart, over TCP with the SQLite recovery store: its old
 * clientid is NFS4ERR_STALE_CLIENTID, it makes a new record with SETCLIENTID (same id string and
 * verifier) and reclaims its open with CLAIM_PREVIOUS in the grace period.
 */
class V40RestartReclaimTest {
    private static final Credential CRED = new Credential.AuthSys(0, "v40-restart", 0, 0, new int[0]);
    private static final byte[] ID = "Linux NFSv4.0 v40-restart".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERIFIER = "verifier".getBytes(StandardCharsets.UTF_8);
    private static final VoidArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);

    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock();
    private JnfsdServer server;
    private SqliteRecoveryStore store;
    private NfsV40Client client;

    private InetSocketAddress startServer() throws IOException {
        store = SqliteRecoveryStore.open(tmp.resolve("state"));
        Path export = tmp.resolve("export");
        Files.createDirectories(export);
        server = JnfsdServer.builder().export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC())))
                .config(ServerConfig.builder().graceTime(Duration.ofSeconds(10)).build()).port(0).clock(clock)
                .recoveryStore(store).build();
        return server.start();
    }

    private void stopServer() {
        if (client != null) {
            client.close();
        }
        server.close();
        store.close();
    }

    @AfterEach
    void stop() {
        stopServer();
    }

    private long establish(InetSocketAddress address) throws Exception {
        client = NfsV40Client.connect(address, CRED);
        SetClientIdResult s = client.compound(new SetClientIdArgs(VERIFIER, ID,
                new CallbackClient(1, new NetAddr("tcp", "127.0.0.1.0.1")), 1)).result(0, SetClientIdResult.class);
        assertThat(client.compound(new SetClientIdConfirmArgs(s.clientId(), s.confirm())).status())
                .isEqualTo(NfsStatus.NFS4_OK);
        return s.clientId();
    }

    private static OpenArgs open(long clientId, int seqid, OpenClaim claim, OpenHow how) {
        return new OpenArgs(seqid, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                new OpenOwner(clientId, "open-owner".getBytes(StandardCharsets.UTF_8)), how, claim);
    }

    /** A store with one client that may reclaim; counts endGrace. */
    private static final class OneReclaimer implements org.jnfsd.core.recovery.RecoveryStore {
        final java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public java.util.List<org.jnfsd.core.recovery.ReclaimableClient> beginEpoch() {
            return java.util.List.of(new org.jnfsd.core.recovery.ReclaimableClient(ID, "sys:0@v40-restart"));
        }

        @Override
        public void record(org.jnfsd.core.recovery.ReclaimableClient client) {}

        @Override
        public void remove(byte[] ownerId) {}

        @Override
        public void endGrace() {
            ended.incrementAndGet();
        }

        @Override
        public void close() {}
    }

    @Test
    void graceTimeUp_noRequestAtAll_theLaundromatEndsIt() throws Exception {
        OneReclaimer reclaimer = new OneReclaimer();
        store = SqliteRecoveryStore.open(tmp.resolve("unused"));
        server = JnfsdServer.builder().export(new Export(1, "/", new LocalFileSystem(Files.createDirectories(
                tmp.resolve("export")), Clock.systemUTC()))).config(ServerConfig.builder().graceTime(Duration.ofSeconds(10))
                .build()).port(0).clock(clock).recoveryStore(reclaimer).build();
        server.start();

        clock.advance(Duration.ofSeconds(11));
        server.context().laundromat().runOnce();

        assertThat(reclaimer.ended.get()).as("a 4.0 client sends no RECLAIM_COMPLETE: grace ends by time alone")
                .isEqualTo(1);
    }

    @Test
    void restart_oldClientidStale_newRecordReclaimsItsOpenInGrace() throws Exception {
        long before = establish(startServer());
        CompoundReply opened = client.compound(PUTROOTFH, open(before, 1, new OpenClaim.Null("f"),
                new OpenHow.Unchecked(Fattr4.EMPTY)), new VoidArgs(Opcode.GETFH));
        assertThat(opened.status()).isEqualTo(NfsStatus.NFS4_OK);
        byte[] fh = opened.result(2, GetFhResult.class).fh();

        stopServer();
        InetSocketAddress address = startServer();
        client = NfsV40Client.connect(address, CRED);
        assertThat(client.compound(new RenewArgs(before)).status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        client.close();
        long after = establish(address);
        CompoundReply fresh = client.compound(PUTROOTFH, open(after, 1, new OpenClaim.Null("g"),
                new OpenHow.Unchecked(Fattr4.EMPTY)));
        CompoundReply reclaim = client.compound(new PutFhArgs(fh), open(after, 2,
                new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_NONE), new OpenHow.NoCreate()));

        assertThat(fresh.status()).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(reclaim.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.context().opens().openCount(after)).isEqualTo(1);
    }
}

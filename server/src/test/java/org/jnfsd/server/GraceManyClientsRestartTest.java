package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.SqliteRecoveryStore;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart with 50 clients (issue 17), over TCP, the local backend and an SQLite recovery store
 * on a manual clock: 30 clients held opens, 20 held none. After the restart a new client's OPEN
 * gets NFS4ERR_GRACE until every old client has come back and sent RECLAIM_COMPLETE (RFC 8881
 * §8.4.2.1, §18.51.3), also past the configured grace time, which is extended while old clients
 * are still reclaiming; every old client's reclaim succeeds, the late ones' too.
 */
class GraceManyClientsRestartTest {
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final ServerConfig CONFIG = ServerConfig.builder().graceTime(GRACE).build();
    private static final int CLIENTS = 50;
    private static final int WITH_OPENS = 30;

    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private JnfsdServer server;
    private SqliteRecoveryStore store;
    private InetSocketAddress address;

    /** A client that comes back with the same owner and verifier (it did not restart itself). */
    private final class Client {
        final byte[] owner;
        final byte[] verifier = new byte[8];
        final Credential cred;
        NfsClient nfs;
        byte[] fh; // the file it holds open, or null

        Client(String name, int n) {
            owner = ("grace-client/" + name).getBytes(StandardCharsets.UTF_8);
            verifier[0] = (byte) n;
            verifier[1] = (byte) (n >> 8);
            verifier[7] = 42;
            cred = new Credential.AuthSys(0, "host-" + name, 0, 0, new int[0]);
        }

        void connect() throws IOException {
            nfs = NfsClient.connect(address, 1, cred, List.of(), owner, verifier);
            toClose.add(nfs);
        }

        OpenArgs open(OpenClaim claim, OpenHow how) {
            return new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                    new OpenOwner(nfs.clientId(), "owner".getBytes(StandardCharsets.UTF_8)), how, claim);
        }

        CompoundReply openByName(String name) throws IOException {
            return nfs.compound(VoidArgs.PUTROOTFH, open(new OpenClaim.Null(name), new OpenHow.Unchecked(Fattr4.EMPTY)),
                    VoidArgs.GETFH);
        }

        NfsStatus reclaim() throws IOException {
            return nfs.compound(new PutFhArgs(fh),
                    open(new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_NONE), new OpenHow.NoCreate())).status();
        }
    }

    private void startServer() throws IOException {
        store = SqliteRecoveryStore.open(tmp.resolve("state"));
        Path export = tmp.resolve("export");
        Files.createDirectories(export);
        server = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC())))
                .config(CONFIG).port(0).clock(clock).recoveryStore(store).build();
        address = server.start();
    }

    private void stopServer() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
        server.close();
        store.close();
    }

    @AfterEach
    void stop() throws Exception {
        stopServer();
    }

    @Test
    void restart_fiftyClientsSomeWithoutOpens_newOpenWaitsForEveryOldClient_everyReclaimSucceeds() throws Exception {
        startServer();
        List<Client> old = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client c = new Client("c" + i, i);
            c.connect();
            c.nfs.reclaimComplete();
            if (i < WITH_OPENS) {
                CompoundReply r = c.openByName("f" + i);
                assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
                c.fh = r.result(3, GetFhResult.class).fh();
            }
            old.add(c);
        }

        stopServer();
        startServer();

        GracePeriod grace = server.context().grace();
        assertThat(grace.state()).isEqualTo(GracePeriod.State.IN_GRACE);
        Client fresh = new Client("new", 1000);
        fresh.connect();
        fresh.nfs.reclaimComplete();
        assertThat(fresh.openByName("n").status()).isEqualTo(NfsStatus.NFS4ERR_GRACE);

        // the first half comes back at once; those with opens reclaim them, then all complete
        int half = CLIENTS / 2;
        int reclaimed = 0;
        for (Client c : old.subList(0, half)) {
            c.connect();
            if (c.fh != null) {
                assertThat(c.reclaim()).isEqualTo(NfsStatus.NFS4_OK);
                reclaimed++;
            }
            c.nfs.reclaimComplete();
            assertThat(fresh.openByName("n").status()).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        }

        // the configured grace time passes while the others have not come back: old clients were
        // reclaiming within the last lease, so grace is extended rather than ended
        clock.advance(GRACE);
        assertThat(grace.state()).isEqualTo(GracePeriod.State.IN_GRACE);
        assertThat(grace.extensions()).isEqualTo(1);
        assertThat(fresh.openByName("n").status()).isEqualTo(NfsStatus.NFS4ERR_GRACE);

        // the late half (including clients that held no opens, whom grace waits for too)
        for (Client c : old.subList(half, CLIENTS)) {
            assertThat(grace.state()).as("still waiting for old clients").isEqualTo(GracePeriod.State.IN_GRACE);
            assertThat(fresh.openByName("n").status()).isEqualTo(NfsStatus.NFS4ERR_GRACE);
            c.connect();
            if (c.fh != null) {
                assertThat(c.reclaim()).as("a late client's reclaim").isEqualTo(NfsStatus.NFS4_OK);
                reclaimed++;
            }
            c.nfs.reclaimComplete();
        }

        assertThat(grace.state()).as("every old client completed").isEqualTo(GracePeriod.State.ENDED);
        assertThat(reclaimed).isEqualTo(WITH_OPENS);
        assertThat(grace.reclaims()).isEqualTo(WITH_OPENS);
        assertThat(fresh.openByName("n").status()).isEqualTo(NfsStatus.NFS4_OK);
    }
}

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
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockDeniedResult;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LocktArgs;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jnfsd.core.time.ManualClock;

/**
 * A server restart through real TCP: {@link JnfsdServer} over the local backend and an SQLite
 * recovery store in a state directory, closed and started again on the same directories; clients
 * are {@link NfsClient}s that come back with the same client owner and verifier, as a client that
 * did not restart itself does. The servers run on a manual clock, so the grace period ends only
 * when a test advances it (or when every client that may reclaim sent RECLAIM_COMPLETE).
 *
 * <p>Opens and share reservations, and byte-range locks (LOCK with reclaim set).
 */
class RestartReclaimTest {
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final ServerConfig CONFIG = ServerConfig.builder().graceTime(GRACE).build();

    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private JnfsdServer server;
    private SqliteRecoveryStore store;
    private InetSocketAddress address;

    /** A client that remembers its owner and verifier, to come back after a restart. */
    private final class Client {
        final byte[] owner;
        final byte[] verifier;
        final Credential cred;
        NfsClient nfs;

        Client(String name) throws IOException {
            owner = ("test-client/" + name).getBytes(StandardCharsets.UTF_8);
            verifier = (name + "-verifier-").substring(0, 8).getBytes(StandardCharsets.UTF_8);
            cred = new Credential.AuthSys(0, "host-" + name, 0, 0, new int[0]);
            connect();
            // a new client has nothing to reclaim, and says so before its first OPEN (RFC 8881 §18.51.3)
            nfs.reclaimComplete();
        }

        void connect() throws IOException {
            nfs = NfsClient.connect(address, 1, cred, List.of(), owner, verifier);
            toClose.add(nfs);
        }

        OpenArgs open(OpenClaim claim, OpenHow how, int access, int deny) {
            return new OpenArgs(0, access, deny, new OpenOwner(nfs.clientId(), "open-owner".getBytes(StandardCharsets.UTF_8)),
                    how, claim);
        }

        CompoundReply openByName(String name, int access, int deny) throws IOException {
            return nfs.compound(VoidArgs.PUTROOTFH,
                    open(new OpenClaim.Null(name), new OpenHow.Unchecked(Fattr4.EMPTY), access, deny), VoidArgs.GETFH);
        }

        CompoundReply reclaim(byte[] fh, int access, int deny) throws IOException {
            return nfs.compound(new PutFhArgs(fh),
                    open(new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_NONE), new OpenHow.NoCreate(), access, deny));
        }
    }

    private void startServer() throws IOException {
        store = SqliteRecoveryStore.open(tmp.resolve("state"));
        Path export = tmp.resolve("export");
        Files.createDirectories(export);
        server = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC())))
                .config(CONFIG)
                .port(0)
                .clock(clock)
                .recoveryStore(store)
                .build();
        address = server.start();
    }

    /** Stops the server as the process would (clients' connections die with it) and starts it again. */
    private void restart() throws IOException {
        stopServer();
        startServer();
    }

    private void stopServer() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
        toClose.clear();
        server.close();
        store.close();
    }

    @AfterEach
    void stop() {
        stopServer();
    }

    /**
     * Advances the clock a grace time at a time until grace is over, its extensions (while old
     * clients still reclaim, up to 3 leases) included; the clients renew their leases at each step.
     */
    private void advanceUntilGraceEnds(Client... renewing) throws IOException {
        for (int i = 0; i < 100 && server.context().grace().state() == GracePeriod.State.IN_GRACE; i++) {
            clock.advance(GRACE);
            for (Client c : renewing) {
                assertThat(status(c.nfs.compound())).isEqualTo(NfsStatus.NFS4_OK);
            }
        }
    }

    private static NfsStatus status(CompoundReply r) {
        return r.status();
    }

    @Test
    void restart_clientReclaimsOpenInGrace_keepsItAndOthersWaitForGrace() throws IOException {
        startServer();
        Client a = new Client("a");
        CompoundReply opened = a.openByName("f", ShareAccess.ACCESS_BOTH, ShareAccess.DENY_WRITE);
        assertThat(status(opened)).isEqualTo(NfsStatus.NFS4_OK);
        byte[] fh = opened.result(3, GetFhResult.class).fh();
        SessionId oldSession = a.nfs.sessionId();

        restart();

        assertThat(server.context().grace().state()).isEqualTo(GracePeriod.State.IN_GRACE);
        Client b = new Client("b");
        assertThat(status(b.nfs.compoundWithoutSequence(new SequenceArgs(oldSession, 2, 0, 0, false))))
                .as("A's session from before the restart").isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        a.connect();
        CompoundReply reclaimed = a.reclaim(fh, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_WRITE);
        assertThat(status(reclaimed)).isEqualTo(NfsStatus.NFS4_OK);
        StateId aOpen = reclaimed.result(2, OpenResult.class).stateId();
        // during grace: B may neither open (even without conflict), create, remove, nor reclaim
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(b.openByName("new", ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(b.nfs.compound(VoidArgs.PUTROOTFH, RemoveArgs.of("f"))))
                .isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(b.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .as("B had nothing before the restart").isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);

        advanceUntilGraceEnds(a, b);

        assertThat(server.context().grace().state()).isEqualTo(GracePeriod.State.ENDED);
        assertThat(server.context().grace().reclaims()).isEqualTo(1);
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_WRITE, ShareAccess.DENY_NONE)))
                .as("A's reclaimed DENY_WRITE still holds").isEqualTo(NfsStatus.NFS4ERR_SHARE_DENIED);
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_WRITE)))
                .as("reclaim after grace").isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        assertThat(status(a.nfs.compound(new PutFhArgs(fh), new CloseArgs(0, aOpen)))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_WRITE, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void restart_clientThatNeverReturns_losesItsRecordAtEndOfGrace() throws IOException {
        startServer();
        Client a = new Client("a");
        Client c = new Client("c");
        CompoundReply opened = a.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE);
        byte[] fh = opened.result(3, GetFhResult.class).fh();
        assertThat(status(c.openByName("g", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);

        restart();
        a.connect();
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);
        a.nfs.reclaimComplete();

        assertThat(server.context().grace().inGrace()).as("C may still come back").isTrue();
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .as("reclaim after its own RECLAIM_COMPLETE").isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        advanceUntilGraceEnds(a);
        assertThat(server.context().grace().inGrace()).isFalse();

        restart();

        // only A reclaimed in the previous generation: C's record went with the end of that grace
        assertThat(server.context().grace().inGrace()).isTrue();
        c.connect();
        assertThat(status(c.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        a.connect();
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void restart_everyClientSendsReclaimComplete_graceEndsEarly() throws IOException {
        startServer();
        Client a = new Client("a");
        byte[] fh = a.openByName("f", ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE).result(3, GetFhResult.class).fh();

        restart();
        a.connect();
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);
        Client b = new Client("b");
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4ERR_GRACE);

        a.nfs.reclaimComplete();

        assertThat(server.context().grace().state()).isEqualTo(GracePeriod.State.ENDED);
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void restart_duringGrace_claimFhRenameRefused_delegationReclaimWithoutChannelGetsNone() throws IOException {
        startServer();
        Client a = new Client("a");
        byte[] fh = a.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE).result(3, GetFhResult.class).fh();

        restart();
        a.connect();

        assertThat(status(a.nfs.compound(new PutFhArgs(fh), a.open(new OpenClaim.Fh(), new OpenHow.NoCreate(),
                ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(a.nfs.compound(VoidArgs.PUTROOTFH, VoidArgs.SAVEFH, VoidArgs.PUTROOTFH,
                RenameArgs.of("f", "g")))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(a.nfs.compound(new PutFhArgs(fh), a.open(new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_READ),
                new OpenHow.NoCreate(), ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE))))
                .as("the open is reclaimed; no delegation without a callback channel").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void restart_twiceBeforeTheClientReturns_firstGenerationStillReclaims() throws IOException {
        startServer();
        Client a = new Client("a");
        byte[] fh = a.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE).result(3, GetFhResult.class).fh();

        restart(); // A does not come back before the next restart
        assertThat(server.context().grace().inGrace()).isTrue();
        restart();

        assertThat(server.context().grace().inGrace()).isTrue();
        a.connect();
        assertThat(status(a.reclaim(fh, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void start_destroyedClient_noGraceAfterRestart() throws IOException {
        startServer();
        Client a = new Client("a");
        CompoundReply opened = a.openByName("f", ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE);
        assertThat(status(opened)).isEqualTo(NfsStatus.NFS4_OK);
        // a client holding opens under its lease is busy (RFC 8881 §18.50.3): close, then destroy
        assertThat(status(a.nfs.compound(new PutFhArgs(opened.result(3, GetFhResult.class).fh()),
                new CloseArgs(0, opened.result(2, OpenResult.class).stateId())))).isEqualTo(NfsStatus.NFS4_OK);
        a.nfs.destroy();

        restart();

        assertThat(server.context().grace().state()).isEqualTo(GracePeriod.State.ENDED);
    }

    /** LOCK by the client's lock owner "lock-owner", new to the server, through {@code open}. */
    private static CompoundReply lock(Client c, byte[] fh, StateId open, boolean reclaim, long offset, long length)
            throws IOException {
        return c.nfs.compound(new PutFhArgs(fh), new LockArgs(LockType.WRITE_LT, reclaim, offset, length,
                new Locker.NewOwner(0, open, 0, new OpenOwner(c.nfs.clientId(), "lock-owner".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void restart_clientReclaimsLockInGrace_keepsIt_othersRefusedDuringGraceAndDeniedAfter() throws IOException {
        startServer();
        Client a = new Client("a");
        Client b = new Client("b");
        CompoundReply opened = a.openByName("f", ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE);
        byte[] fh = opened.result(3, GetFhResult.class).fh();
        assertThat(status(lock(a, fh, opened.result(2, OpenResult.class).stateId(), false, 0, 100)))
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(b.openByName("f", ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE))).isEqualTo(NfsStatus.NFS4_OK);

        restart();

        a.connect();
        b.connect();
        StateId aOpen = a.reclaim(fh, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE).result(2, OpenResult.class).stateId();
        StateId bOpen = b.reclaim(fh, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE).result(2, OpenResult.class).stateId();
        CompoundReply reclaimed = lock(a, fh, aOpen, true, 0, 100);
        assertThat(status(reclaimed)).isEqualTo(NfsStatus.NFS4_OK);
        StateId aLock = reclaimed.result(2, StateIdResult.class).stateId();
        // during grace B may not take new locks, nor test, and its "reclaim" meets A's reclaimed lock
        assertThat(status(lock(b, fh, bOpen, false, 50, 10))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(b.nfs.compound(new PutFhArgs(fh), new LocktArgs(LockType.WRITE_LT, 50, 10,
                new OpenOwner(b.nfs.clientId(), "t".getBytes(StandardCharsets.UTF_8))))))
                .isEqualTo(NfsStatus.NFS4ERR_GRACE);
        assertThat(status(lock(b, fh, bOpen, true, 50, 10))).isEqualTo(NfsStatus.NFS4ERR_DENIED);

        advanceUntilGraceEnds(a, b);

        assertThat(status(lock(a, fh, aOpen, true, 200, 1))).as("reclaim after grace").isEqualTo(NfsStatus.NFS4ERR_NO_GRACE);
        CompoundReply denied = lock(b, fh, bOpen, false, 50, 10);
        assertThat(status(denied)).as("A kept its lock").isEqualTo(NfsStatus.NFS4ERR_DENIED);
        assertThat(denied.result(2, LockDeniedResult.class).denied().owner().clientId()).isEqualTo(a.nfs.clientId());
        assertThat(status(a.nfs.compound(new PutFhArgs(fh), new LockuArgs(LockType.WRITE_LT, 0, aLock, 0, 100))))
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(lock(b, fh, bOpen, false, 50, 10))).isEqualTo(NfsStatus.NFS4_OK);
    }
}

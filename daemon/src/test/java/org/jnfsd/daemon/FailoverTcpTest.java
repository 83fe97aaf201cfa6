package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LocktArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Failover of one service between two real {@code jnfsd serve} processes over TCP: node A on
 * 127.0.0.2 and node B on 127.0.0.3 share one export directory and the test PostgreSQL database
 * (service lease 10 s). A client opens two files, locks one and writes with COMMIT on A; A is
 * killed with SIGKILL; B takes over (manually through {@code jnfsd takeover}, or by itself in
 * auto mode); the client reconnects to B with the same client owner and verifier, reclaims its
 * opens and its lock within B's grace period, and reads back every byte it committed; another
 * client's conflicting lock test on B is NFS4ERR_GRACE during grace and DENIED after it.
 *
 * <p>Waits are bounded waits for the nodes' log lines, never sleeps.
 */
class FailoverTcpTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Credential ROOT = new Credential.AuthSys(0, "client", 0, 0, new int[0]);
    private static final byte[] OWNER = "failover-test/client-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERIFIER = "verifier".getBytes(StandardCharsets.UTF_8);
    private static final OpenOwnerName OPEN_OWNER = new OpenOwnerName("open-owner");

    @TempDir
    Path tmp;

    private TestCluster cluster;
    private Path export;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private record OpenOwnerName(String name) {
        OpenOwner of(NfsClient c) {
            return new OpenOwner(c.clientId(), name.getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        cluster = TestCluster.create(tmp);
        export = Files.createDirectories(tmp.resolve("export"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        cluster.close();
    }

    private NodeProcess node(String id, String address, String failover) throws IOException {
        NodeProcess n = NodeProcess.start(id, cluster.serve(export, id, address, failover));
        toClose.add(n);
        return n;
    }

    private InetSocketAddress at(String address) {
        return new InetSocketAddress(address, cluster.port);
    }

    private NfsClient connect(String address, byte[] owner, byte[] verifier) throws IOException {
        NfsClient c = NfsClient.connect(at(address), 1, ROOT, List.of(), owner, verifier);
        toClose.add(c);
        return c;
    }

    /** What client 1 holds on A when A dies. */
    private record Held(byte[] fhF, byte[] fhG, byte[] committed) {}

    /** Client 1 on A: opens f (read-write, deny write) and g, locks f [0, 100), writes 3 chunks and COMMITs. */
    private Held workOnA() throws IOException {
        NfsClient c = connect("127.0.0.2", OWNER, VERIFIER);
        c.reclaimComplete(); // a new client: nothing to reclaim, said before its first OPEN (RFC 8881 §18.51.3)
        CompoundReply f = c.compound(VoidArgs.PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_WRITE,
                OPEN_OWNER.of(c), new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("f")), VoidArgs.GETFH);
        assertThat(f.status()).isEqualTo(NfsStatus.NFS4_OK);
        CompoundReply g = c.compound(VoidArgs.PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE,
                OPEN_OWNER.of(c), new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("g")), VoidArgs.GETFH);
        assertThat(g.status()).isEqualTo(NfsStatus.NFS4_OK);
        byte[] fhF = f.result(3, GetFhResult.class).fh();
        StateId open = f.result(2, OpenResult.class).stateId();
        assertThat(lock(c, fhF, open, false).status()).isEqualTo(NfsStatus.NFS4_OK);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] chunk = ("record " + i + " written on node A\n").repeat(100).getBytes(StandardCharsets.UTF_8);
            assertThat(c.compound(new PutFhArgs(fhF), new WriteArgs(open, all.size(), StableHow.UNSTABLE4,
                    Unpooled.wrappedBuffer(chunk))).status()).isEqualTo(NfsStatus.NFS4_OK);
            all.write(chunk);
        }
        assertThat(c.compound(new PutFhArgs(fhF), new CommitArgs(0, 0)).status()).isEqualTo(NfsStatus.NFS4_OK);
        return new Held(fhF, g.result(3, GetFhResult.class).fh(), all.toByteArray());
    }

    private static CompoundReply lock(NfsClient c, byte[] fh, StateId open, boolean reclaim) throws IOException {
        return c.compound(new PutFhArgs(fh), new LockArgs(LockType.WRITE_LT, reclaim, 0, 100,
                new Locker.NewOwner(0, open, 0, new OpenOwner(c.clientId(), "lock-owner".getBytes(StandardCharsets.UTF_8)))));
    }

    private static CompoundReply reclaimOpen(NfsClient c, byte[] fh, int access, int deny) throws IOException {
        return c.compound(new PutFhArgs(fh), new OpenArgs(0, access, deny, OPEN_OWNER.of(c), new OpenHow.NoCreate(),
                new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_NONE)));
    }

    private static NfsStatus lockTest(NfsClient other, byte[] fh) throws IOException {
        return other.compound(new PutFhArgs(fh), new LocktArgs(LockType.WRITE_LT, 50, 10,
                new OpenOwner(other.clientId(), "other-owner".getBytes(StandardCharsets.UTF_8)))).status();
    }

    /** Client 1 comes back on B: reclaims, a second client waits for grace, then is denied the lock. */
    private void reclaimOnB(Held held) throws IOException {
        NfsClient c = connect("127.0.0.3", OWNER, VERIFIER);
        CompoundReply f = reclaimOpen(c, held.fhF(), ShareAccess.ACCESS_BOTH, ShareAccess.DENY_WRITE);
        assertThat(f.status()).as("reclaim of f's open on B").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(reclaimOpen(c, held.fhG(), ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE).status())
                .as("reclaim of g's open on B").isEqualTo(NfsStatus.NFS4_OK);
        StateId open = f.result(2, OpenResult.class).stateId();
        CompoundReply locked = lock(c, held.fhF(), open, true);
        assertThat(locked.status()).as("reclaim of the lock on B").isEqualTo(NfsStatus.NFS4_OK);

        NfsClient other = connect("127.0.0.3", "failover-test/client-2".getBytes(StandardCharsets.UTF_8),
                "verifie2".getBytes(StandardCharsets.UTF_8));
        assertThat(lockTest(other, held.fhF())).as("a conflicting lock during grace").isEqualTo(NfsStatus.NFS4ERR_GRACE);

        c.reclaimComplete();

        assertThat(lockTest(other, held.fhF())).as("a conflicting lock after grace").isEqualTo(NfsStatus.NFS4ERR_DENIED);
        CompoundReply read = c.compound(new PutFhArgs(held.fhF()), new ReadArgs(open, 0, held.committed().length + 10));
        assertThat(read.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(read.result(2, ReadResult.class).data()).as("every committed byte, read on B")
                .isEqualTo(held.committed());
        assertThat(Files.readAllBytes(export.resolve("f"))).isEqualTo(held.committed());
    }

    @Test
    void manualTakeover_afterSigkill_clientReclaimsOnB_committedDataThere() throws Exception {
        NodeProcess a = node("A", "127.0.0.2", "manual");
        a.await("jnfsd ready: node A of the cluster, serving", BOUND);
        NodeProcess b = node("B", "127.0.0.3", "manual");
        b.await("jnfsd ready: node B of the cluster, standby", BOUND);
        Held held = workOnA();

        a.kill();
        assertThat(b.logged("node B: serving")).as("manual mode: B waits for the operator").isFalse();
        int rc = new CommandLine(new Main()).execute(cluster.takeover("B"));
        assertThat(rc).isZero();
        b.await("node B: serving svc", BOUND);

        reclaimOnB(held);
    }

    @Test
    void autoFailover_afterSigkill_bTakesOverAlone_clientReclaimsOnB() throws Exception {
        NodeProcess a = node("A", "127.0.0.2", "auto");
        a.await("jnfsd ready: node A of the cluster, serving", BOUND);
        NodeProcess b = node("B", "127.0.0.3", "auto");
        b.await("jnfsd ready: node B of the cluster, standby", BOUND);
        Held held = workOnA();

        a.kill();
        b.await("node B: serving svc \\(generation 2, taken over from node A\\)", BOUND);

        reclaimOnB(held);
    }

    @Test
    void databaseLost_ownerAnswersDelay_fencesItself_servesAgainOnceItIsBack() throws Exception {
        NodeProcess a = node("A", "127.0.0.2", "auto");
        a.await("jnfsd ready: node A of the cluster, serving", BOUND);
        NfsClient c = connect("127.0.0.2", OWNER, VERIFIER);

        TestCluster.killDatabase();
        try {
            // a new client is recorded at RECLAIM_COMPLETE (before it may open, RFC 8881 §18.51.3)
            assertThat(c.compound(new ReclaimCompleteArgs(false)).status()).as("a client that cannot be recorded")
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);
            assertThat(openNew(c, "f")).as("so it gets no state").isIn(NfsStatus.NFS4ERR_DELAY, NfsStatus.NFS4ERR_GRACE);
            a.await("node A: fenced: stops serving svc because the cluster database", BOUND);
            a.await("RPC server on /127.0.0.2:\\d+ closed", BOUND);
            assertThatThrownBy(() -> new Socket("127.0.0.2", cluster.port).close()).as("A's listener once fenced")
                    .isInstanceOf(ConnectException.class);
        } finally {
            TestCluster.restartDatabase();
        }

        a.await("node A: serving svc \\(generation 2\\)", BOUND);
        NfsClient again = connect("127.0.0.2", OWNER, VERIFIER);
        again.reclaimComplete();
        assertThat(openNew(again, "f")).as("state granted, and recorded, again").isEqualTo(NfsStatus.NFS4_OK);
    }

    private static NfsStatus openNew(NfsClient c, String name) throws IOException {
        return c.compound(VoidArgs.PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                OPEN_OWNER.of(c), new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null(name))).status();
    }

    @Test
    void takeover_liveOwner_fencesItselfBeforeTheNewOwnerServes() throws Exception {
        Path hook = AddressHookTest.recordingHook(tmp, 0);
        NodeProcess a = NodeProcess.start("A", cluster.serve(export, "A", "127.0.0.2", "manual",
                "--service-address-hook", hook.toString()));
        toClose.add(a);
        a.await("jnfsd ready: node A of the cluster, serving", BOUND);
        NodeProcess b = NodeProcess.start("B", cluster.serve(export, "B", "127.0.0.3", "manual",
                "--service-address-hook", hook.toString()));
        toClose.add(b);
        b.await("jnfsd ready: node B of the cluster, standby", BOUND);
        NfsClient c = connect("127.0.0.2", OWNER, VERIFIER);

        assertThat(new CommandLine(new Main()).execute(cluster.takeover("B"))).isZero();
        b.await("node B: serving svc", BOUND);

        // B serves only after A's lease ran out; A fenced itself on its first renewal after the takeover
        assertThat(a.logged("node A: fenced: stops serving svc")).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.2", cluster.port).close()).as("A's listener")
                .isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> c.compound(VoidArgs.PUTROOTFH)).as("A's connections").isInstanceOf(IOException.class);
        assertThat(a.stop()).as("a fenced node stays up, as a standby, until stopped").isZero();
        assertThat(Files.readAllLines(tmp.resolve("calls.txt"))).as("the address hook: A's address down before B's up")
                .containsExactly("up 127.0.0.2", "down 127.0.0.2", "up 127.0.0.3");
    }
}

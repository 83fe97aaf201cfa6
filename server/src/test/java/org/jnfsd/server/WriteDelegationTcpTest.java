package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.recovery.SqliteRecoveryStore;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.SpaceLimit;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write delegations and CB_GETATTR over real TCP between two clients: A (serving callbacks with
 * {@link RecordingCallbacks}, whose answers each test decides) opens for write and gets a write delegation; B's
 * GETATTR of size and change makes the server ask A with CB_GETATTR; B's OPEN (even for read)
 * recalls it. Every wait is bounded.
 */
class WriteDelegationTcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "wdeleg-test", 1000, 1000, new int[0]);
    private static final long BOUND_S = 30;
    private static final Duration BOUND = Duration.ofSeconds(BOUND_S);
    private static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);
    private static final GetattrArgs CHANGE_AND_SIZE = new GetattrArgs(Bitmap.of(3, 4));

    /** A's (and B's) callback service: records every callback and answers as each test says. */
    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private InetSocketAddress start(ServerConfig config) throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        fs.createFile(fs.root(), "f", new SetAttributes(0666, 1000, 1000, null, null, null), true);
        server = JnfsdServer.builder()
                .export(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))
                .config(config)
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        return server.start();
    }

    private static ServerConfig config(Duration cbGetattrTimeout) {
        return ServerConfig.builder().maxDelegations(100).cbGetattrTimeout(cbGetattrTimeout).build();
    }

    /** A's OPEN of "f" for write: the file handle and the delegation it got. */
    private record Opened(byte[] fh, StateId open, OpenDelegation delegation) {}

    private Opened openForWrite(NfsClient a, int access) throws Exception {
        CompoundReply r = a.compound(PUTROOTFH, open(a, access), GETFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        OpenResult o = r.result(2, OpenResult.class);
        return new Opened(r.result(3, GetFhResult.class).fh(), o.stateId(), o.delegation());
    }

    @Test
    void openForWrite_channelUp_writeDelegationWithSpaceLimit_holderWritesThroughIt() throws Exception {
        InetSocketAddress address = start(config(Duration.ofSeconds(BOUND_S)));
        try (NfsClient a = connectA(address)) {
            Opened o = openForWrite(a, ShareAccess.ACCESS_BOTH);

            assertThat(o.delegation()).isInstanceOf(OpenDelegation.Write.class);
            OpenDelegation.Write w = (OpenDelegation.Write) o.delegation();
            assertThat(w.spaceLimit()).isEqualTo(new SpaceLimit.Size(-1L));
            assertThat(a.compound(new PutFhArgs(o.fh()), new WriteArgs(w.stateId(), 0, StableHow.FILE_SYNC4,
                    Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.UTF_8)))).status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(a.compound(new PutFhArgs(o.fh()), new ReadArgs(w.stateId(), 0, 5)).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(a.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE).status()).as("the holder's own GETATTR")
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(callbacks.received()).as("no callback for the holder's own requests").isEmpty();

            assertThat(a.compound(new PutFhArgs(o.fh()), new DelegreturnArgs(w.stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(server.context().delegations().liveCount()).isZero();
        }
    }

    @Test
    void openForWrite_writeDelegationsOff_none() throws Exception {
        InetSocketAddress address = start(ServerConfig.builder().maxDelegations(100).writeDelegations(false).build());
        try (NfsClient a = connectA(address)) {
            assertThat(openForWrite(a, ShareAccess.ACCESS_BOTH).delegation()).isEqualTo(OpenDelegation.NONE);
            assertThat(openForWrite(a, ShareAccess.ACCESS_WRITE | ShareAccess.WANT_WRITE_DELEG).delegation())
                    .isEqualTo(OpenDelegation.NoneExt.of(OpenDelegation.WND4_WRITE_DELEG_NOT_SUPP_FTYPE));
        }
    }

    @Test
    void getattrByOther_holderAnswersModified_sizeFromHolderAndChangeAdvances() throws Exception {
        InetSocketAddress address = start(config(Duration.ofSeconds(BOUND_S)));
        try (NfsClient a = connectA(address); NfsClient b = NfsClient.connect(address, 1, CRED)) {
            b.reclaimComplete();
            Opened o = openForWrite(a, ShareAccess.ACCESS_WRITE);
            assertThat(o.delegation()).isInstanceOf(OpenDelegation.Write.class);
            long[] before = changeAndSize(a.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE));
            callbacks.getattrReply(fattr(before[0] + 1, 4242));

            CompoundReply r = b.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE);

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            long[] seen = changeAndSize(r);
            assertThat(seen[1]).as("the holder's size").isEqualTo(4242);
            assertThat(seen[0]).as("change advanced").isGreaterThan(before[0]);
            CbGetattrArgs asked = callbacks.await(CbOpcode.CB_GETATTR, 1, CbGetattrArgs.class, BOUND);
            assertThat(asked.fileHandle()).isEqualTo(o.fh());
            assertThat(server.context().counters().count(ServerEvent.CB_GETATTR_SENT)).isEqualTo(1);
            assertThat(server.context().delegations().liveCount()).as("not recalled").isEqualTo(1);
        }
    }

    @Test
    void getattrByOther_holderFailsCbGetattr_delayAndRecall_thenOkAfterDelegreturn() throws Exception {
        InetSocketAddress address = start(config(Duration.ofSeconds(BOUND_S)));
        try (NfsClient a = connectA(address); NfsClient b = NfsClient.connect(address, 1, CRED)) {
            b.reclaimComplete();
            Opened o = openForWrite(a, ShareAccess.ACCESS_BOTH);
            OpenDelegation.Write w = (OpenDelegation.Write) o.delegation();
            callbacks.answer(CbOpcode.CB_GETATTR, RecordingCallbacks.Answer.status(NfsStatus.NFS4ERR_SERVERFAULT));

            assertThat(b.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);

            callbacks.await(CbOpcode.CB_GETATTR, 1, CbGetattrArgs.class, BOUND);
            assertThat(callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND).stateId())
                    .isEqualTo(w.stateId());
            assertThat(b.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE).status()).as("recalling")
                    .isEqualTo(NfsStatus.NFS4ERR_DELAY);

            assertThat(a.compound(new PutFhArgs(o.fh()), new DelegreturnArgs(w.stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(b.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void getattrByOther_holderSilent_boundPasses_delayAndRecall() throws Exception {
        InetSocketAddress address = start(config(Duration.ofMillis(50)));
        try (NfsClient a = connectA(address); NfsClient b = NfsClient.connect(address, 1, CRED)) {
            b.reclaimComplete();
            Opened o = openForWrite(a, ShareAccess.ACCESS_BOTH);
            OpenDelegation.Write w = (OpenDelegation.Write) o.delegation();
            callbacks.answer(CbOpcode.CB_GETATTR, RecordingCallbacks.Answer.park());

            assertThat(b.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);

            callbacks.await(CbOpcode.CB_GETATTR, 1, CbGetattrArgs.class, BOUND);
            assertThat(callbacks.releaseParked(NfsStatus.NFS4_OK)).as("a late answer nobody waits for").isEqualTo(1);
            assertThat(callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND).stateId())
                    .as("then the recall").isEqualTo(w.stateId());
            assertThat(a.compound(new PutFhArgs(o.fh()), new DelegreturnArgs(w.stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(b.compound(new PutFhArgs(o.fh()), CHANGE_AND_SIZE).status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void openForReadByOther_recallsWriteDelegation_okOnceReturned() throws Exception {
        InetSocketAddress address = start(config(Duration.ofSeconds(BOUND_S)));
        try (NfsClient a = connectA(address); NfsClient b = NfsClient.connect(address, 1, CRED)) {
            b.reclaimComplete();
            Opened o = openForWrite(a, ShareAccess.ACCESS_BOTH);
            OpenDelegation.Write w = (OpenDelegation.Write) o.delegation();

            assertThat(b.compound(PUTROOTFH, open(b, ShareAccess.ACCESS_READ)).status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
            assertThat(callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, BOUND).stateId())
                    .isEqualTo(w.stateId());
            assertThat(b.compound(new PutFhArgs(o.fh()), new ReadArgs(StateId.ANONYMOUS, 0, 1)).status())
                    .as("READ with the anonymous stateid is in the way too").isEqualTo(NfsStatus.NFS4ERR_DELAY);

            assertThat(a.compound(new PutFhArgs(o.fh()), new DelegreturnArgs(w.stateId())).status())
                    .isEqualTo(NfsStatus.NFS4_OK);
            CompoundReply ok = b.compound(PUTROOTFH, open(b, ShareAccess.ACCESS_READ));
            assertThat(ok.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(ok.result(2, OpenResult.class).delegation()).as("A still has it open for write")
                    .isEqualTo(OpenDelegation.NONE);
        }
    }

    @Test
    void openForWriteByOther_whileAHasItOpen_noWriteDelegationForB() throws Exception {
        InetSocketAddress address = start(config(Duration.ofSeconds(BOUND_S)));
        try (NfsClient a = connectA(address); NfsClient b = connectB(address)) {
            CompoundReply ra = a.compound(PUTROOTFH, open(a, ShareAccess.ACCESS_READ | ShareAccess.WANT_NO_DELEG));
            assertThat(ra.status()).isEqualTo(NfsStatus.NFS4_OK);

            CompoundReply rb = b.compound(PUTROOTFH, open(b, ShareAccess.ACCESS_WRITE | ShareAccess.WANT_WRITE_DELEG));

            assertThat(rb.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(rb.result(2, OpenResult.class).delegation())
                    .isEqualTo(OpenDelegation.NoneExt.of(OpenDelegation.WND4_CONTENTION));
        }
    }

    @Test
    void restart_holderReclaimsOpenWithWriteDelegation_getsItBack(@TempDir Path tmp) throws Exception {
        ServerConfig config = ServerConfig.builder().maxDelegations(100).graceTime(Duration.ofSeconds(BOUND_S)).build();
        byte[] owner = "wdeleg-restart".getBytes(StandardCharsets.UTF_8);
        byte[] verifier = "verifier".getBytes(StandardCharsets.UTF_8);
        byte[] fh;
        try (SqliteRecoveryStore store = SqliteRecoveryStore.open(tmp.resolve("state"))) {
            InetSocketAddress address = startLocal(tmp, config, store);
            try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks, owner, verifier)) {
                a.reclaimComplete();
                DelegationFixture.awaitChannelUp(server, a);
                CompoundReply r = a.compound(PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                        new OpenOwner(a.clientId(), "o".getBytes(StandardCharsets.UTF_8)),
                        new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("g")), GETFH);
                assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
                assertThat(r.result(2, OpenResult.class).delegation()).isInstanceOf(OpenDelegation.Write.class);
                fh = r.result(3, GetFhResult.class).fh();
            }
            server.close();
            server = null;
        }
        try (SqliteRecoveryStore store = SqliteRecoveryStore.open(tmp.resolve("state"))) {
            InetSocketAddress address = startLocal(tmp, config, store);
            try (NfsClient a = NfsClient.connect(address, 1, CRED, callbacks, owner, verifier)) {
                DelegationFixture.awaitChannelUp(server, a);

                CompoundReply r = a.compound(new PutFhArgs(fh), new OpenArgs(0, ShareAccess.ACCESS_BOTH,
                        ShareAccess.DENY_NONE, new OpenOwner(a.clientId(), "o".getBytes(StandardCharsets.UTF_8)),
                        new OpenHow.NoCreate(), new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_WRITE)));

                assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
                OpenDelegation d = r.result(2, OpenResult.class).delegation();
                assertThat(d).isInstanceOf(OpenDelegation.Write.class);
                assertThat(((OpenDelegation.Write) d).recall()).isFalse();
                a.reclaimComplete();
                assertThat(server.context().grace().inGrace()).isFalse();
            }
            server.close();
            server = null;
        }
    }

    private InetSocketAddress startLocal(Path tmp, ServerConfig config, SqliteRecoveryStore store) throws Exception {
        Path export = tmp.resolve("export");
        Files.createDirectories(export);
        Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rwxrwxrwx")); // CRED is uid 1000
        server = JnfsdServer.builder()
                .export(new Export(1, "/", new LocalFileSystem(export, Clock.systemUTC())))
                .config(config)
                .bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .recoveryStore(store)
                .build();
        return server.start();
    }

    private NfsClient connectA(InetSocketAddress address) throws Exception {
        NfsClient a = NfsClient.connect(address, 1, CRED, callbacks);
        a.reclaimComplete();
        DelegationFixture.awaitChannelUp(server, a);
        return a;
    }

    /** B also serves callbacks (so it could get delegations); it never gets one here. */
    private NfsClient connectB(InetSocketAddress address) throws Exception {
        NfsClient b = NfsClient.connect(address, 1, CRED, new RecordingCallbacks());
        b.reclaimComplete();
        DelegationFixture.awaitChannelUp(server, b);
        return b;
    }

    private static OpenArgs open(NfsClient c, int access) {
        return new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(c.clientId(), ("owner-" + access).getBytes(StandardCharsets.UTF_8)),
                new OpenHow.NoCreate(), new OpenClaim.Null("f"));
    }

    private static Fattr4 fattr(long change, long size) {
        return new Fattr4(Bitmap.of(3, 4), ByteBuffer.allocate(16).putLong(change).putLong(size).array());
    }

    /** change and size of a PUTFH + GETATTR(change, size) reply. */
    private static long[] changeAndSize(CompoundReply r) {
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        Fattr4 f = r.result(2, GetattrResult.class).attrs();
        assertThat(f.mask()).isEqualTo(Bitmap.of(3, 4));
        ByteBuffer v = ByteBuffer.wrap(f.values());
        return new long[] {v.getLong(), v.getLong()};
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.RecordingCallbacks;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
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
import org.jnfsd.protocol.nfs4.io.TestStateidArgs;
import org.jnfsd.protocol.nfs4.io.TestStateidResult;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v42.CopyArgs;
import org.jnfsd.protocol.nfs4.v42.CopyResult;
import org.jnfsd.protocol.nfs4.v42.OffloadCancelArgs;
import org.jnfsd.protocol.nfs4.v42.OffloadStatusArgs;
import org.jnfsd.protocol.nfs4.v42.OffloadStatusResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous COPY over real TCP: a client serving the callback program ({@link RecordingCallbacks})
 * receives CB_OFFLOAD with the copy's stateid, count and verifier; OFFLOAD_STATUS, OFFLOAD_CANCEL and
 * TEST_STATEID on the copy stateid; the cases that stay synchronous; the limit; another client's
 * copy stateid; a CB_OFFLOAD the client never answers, then the client destroyed.
 */
class AsyncCopyTcpTest {
    private static final Credential ROOT = new Credential.AuthSys(0, "copy-test", 0, 0, new int[0]);
    private static final int MIB = 1 << 20;
    private static final int SIZE = 3 * MIB + 123;
    private static final long BOUND_S = 30;

    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private JnfsdServer server;
    private NfsClient client;

    private InetSocketAddress start(ServerConfig config) throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        server = JnfsdServer.builder()
                .export(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))
                .config(config)
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        InetSocketAddress address = server.start();
        client = NfsClient.connect(address, 2, ROOT, callbacks);
        client.reclaimComplete();
        return address;
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ServerConfig config(int perClient) {
        // no write delegations: these clients open src and dst for writing and never return one (a
        // write delegation on src would make another client's COPY from it recall it: DELAY)
        return ServerConfig.builder().asyncCopyThreshold(MIB).maxAsyncCopiesPerClient(perClient)
                .writeDelegations(false).build();
    }

    @Test
    void copy_aboveThreshold_asyncWithStateid_cbOffloadCarriesTheResult_statusAnswers() throws Exception {
        start(config(4));
        DelegationFixture.awaitChannelUp(server, client);
        byte[] data = source(client);
        StateId dst = open(client, "dst");

        CompoundReply r = client.compound(copy(client, dst, false));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        CopyResult res = r.result(6, CopyResult.class);
        assertThat(res.synchronous()).isFalse();
        assertThat(res.consecutive()).isTrue();
        StateId copyId = res.response().callbackId();
        assertThat(copyId).as("wr_callback_id").isNotNull();

        CbOffloadArgs cb = offload(1);
        assertThat(cb.copyStateId()).isEqualTo(copyId);
        assertThat(cb.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(cb.count()).isEqualTo(SIZE);
        assertThat(cb.committed()).isEqualTo(StableHow.UNSTABLE4.code());
        assertThat(cb.verifier()).isEqualTo(res.response().writeVerifier().bytes());
        assertThat(read(client, dst, SIZE - MIB, MIB)).isEqualTo(Arrays.copyOfRange(data, SIZE - MIB, SIZE));

        OffloadStatusResult st = client.compound(new OffloadStatusArgs(copyId)).result(1, OffloadStatusResult.class);
        assertThat(st.count()).isEqualTo(SIZE);
        assertThat(st.complete()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(client.compound(new TestStateidArgs(List.of(copyId))).result(1, TestStateidResult.class)
                .statusCodes()).containsExactly(NfsStatus.NFS4_OK);
        assertThat(last(client.compound(new OffloadCancelArgs(copyId)))).as("cancel of a finished copy")
                .isEqualTo(NfsStatus.NFS4_OK);
        var stats = server.context().counters().snapshot();
        assertThat(stats.get(ServerEvent.COPY_ASYNC_STARTED.meterName())).isEqualTo(1L);
        assertThat(stats.get(ServerEvent.COPY_ASYNC_COMPLETED.meterName())).isEqualTo(1L);
        assertThat(stats.get(ServerEvent.CB_OFFLOAD_SENT.meterName())).isEqualTo(1L);
        assertThat(stats.get("jnfsd.copies.async.running")).isZero();
    }

    @Test
    void copy_anotherClientsCopyStateid_BAD_STATEID() throws Exception {
        InetSocketAddress address = start(config(4));
        DelegationFixture.awaitChannelUp(server, client);
        source(client);
        StateId dst = open(client, "dst");
        StateId copyId = client.compound(copy(client, dst, false)).result(6, CopyResult.class).response().callbackId();
        offload(1);
        try (NfsClient b = NfsClient.connect(address, 2, ROOT)) {
            b.reclaimComplete();
            assertThat(last(b.compound(new OffloadStatusArgs(copyId)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(last(b.compound(new OffloadCancelArgs(copyId)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
            assertThat(b.compound(new TestStateidArgs(List.of(copyId))).result(1, TestStateidResult.class)
                    .statusCodes()).containsExactly(NfsStatus.NFS4ERR_BAD_STATEID);
        }
        assertThat(last(client.compound(new OffloadStatusArgs(copyId)))).as("still the owner's").isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void copy_synchronousAskedOrSmallOrNoCallbackChannel_staysSynchronous() throws Exception {
        InetSocketAddress address = start(config(4));
        DelegationFixture.awaitChannelUp(server, client);
        source(client);
        StateId dst = open(client, "dst");
        CopyResult asked = client.compound(copy(client, dst, true)).result(6, CopyResult.class);
        assertThat(asked.synchronous()).isTrue();
        assertThat(asked.response().callbackId()).isNull();
        assertThat(asked.response().count()).isEqualTo(SIZE);

        CopyResult small = client.compound(with(pair(client), new CopyArgs(StateId.ANONYMOUS, dst, 0, 0, MIB, false,
                false, List.of()))).result(6, CopyResult.class);
        assertThat(small.synchronous()).as("at the threshold").isTrue();

        try (NfsClient b = NfsClient.connect(address, 2, ROOT)) { // serves no callback program
            b.reclaimComplete();
            StateId bdst = open(b, "bdst");
            CopyResult noChannel = b.compound(with(pair(b, "bdst"), new CopyArgs(StateId.ANONYMOUS, bdst, 0, 0, 0,
                    false, false, List.of()))).result(6, CopyResult.class);
            assertThat(noChannel.synchronous()).as("no CB_OFFLOAD could reach it").isTrue();
            assertThat(noChannel.response().count()).isEqualTo(SIZE);
        }
        assertThat(callbacks.received(CbOpcode.CB_OFFLOAD)).isEmpty();
        assertThat(server.context().counters().snapshot().get(ServerEvent.COPY_ASYNC_STARTED.meterName())).isZero();
    }

    @Test
    void copy_beyondTheAsyncLimit_DELAY() throws Exception {
        start(config(0));
        DelegationFixture.awaitChannelUp(server, client);
        source(client);
        StateId dst = open(client, "dst");
        assertThat(last(client.compound(copy(client, dst, false)))).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(client.compound(copy(client, dst, true)).status()).as("a synchronous COPY still works")
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void copy_cbOffloadNeverAnswered_clientDestroyed_teardownEndsNothingLeftInFlight() throws Exception {
        start(config(4));
        DelegationFixture.awaitChannelUp(server, client);
        callbacks.answer(CbOpcode.CB_OFFLOAD, RecordingCallbacks.Answer.park()); // the client never answers
        StateId src = open(client, "src");
        writeSource(client, src);
        StateId dst = open(client, "dst");
        StateId copyId = client.compound(copy(client, dst, false)).result(6, CopyResult.class).response().callbackId();
        assertThat(offload(1).copyStateId()).isEqualTo(copyId);
        assertThat(server.context().callbacks().inFlightTotal()).as("CB_OFFLOAD in flight").isEqualTo(1);
        assertThat(last(client.compound(new OffloadStatusArgs(copyId)))).as("not reaped while in flight")
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(client.compound(VoidArgs.PUTROOTFH, lookup("src"), new CloseArgs(0, src)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(client.compound(VoidArgs.PUTROOTFH, lookup("dst"), new CloseArgs(0, dst)).status()).isEqualTo(NfsStatus.NFS4_OK);

        client.destroy(); // DESTROY_SESSION, DESTROY_CLIENTID: STOP_COPIES, then the channel's kill

        var stats = server.context().counters().snapshot();
        assertThat(stats.get("jnfsd.callbacks.in_flight")).isZero();
        assertThat(stats.get("jnfsd.copies.async.tracked")).isZero();
        assertThat(stats.get("jnfsd.copies.async.running")).isZero();
        assertThat(stats.get("jnfsd.clients")).isZero();
    }

    // ---- helpers ----

    private CbOffloadArgs offload(int n) throws Exception {
        return callbacks.await(CbOpcode.CB_OFFLOAD, n, CbOffloadArgs.class, Duration.ofSeconds(BOUND_S));
    }

    private byte[] source(NfsClient c) throws Exception {
        return writeSource(c, open(c, "src"));
    }

    private byte[] writeSource(NfsClient c, StateId src) throws Exception {
        byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        for (int off = 0; off < SIZE; off += MIB) {
            ByteBuf buf = Unpooled.wrappedBuffer(data, off, Math.min(MIB, SIZE - off));
            try {
                assertThat(c.compound(VoidArgs.PUTROOTFH, lookup("src"),
                        new WriteArgs(src, off, StableHow.FILE_SYNC4, buf)).status()).isEqualTo(NfsStatus.NFS4_OK);
            } finally {
                buf.release();
            }
        }
        return data;
    }

    private static StateId open(NfsClient c, String name) throws Exception {
        CompoundReply r = c.compound(VoidArgs.PUTROOTFH, new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                new OpenOwner(c.clientId(), ("o-" + name).getBytes(StandardCharsets.UTF_8)),
                new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null(name)));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(2, OpenResult.class).stateId();
    }

    private static OpArgs[] pair(NfsClient c) {
        return pair(c, "dst");
    }

    private static OpArgs[] pair(NfsClient c, String dst) {
        return new OpArgs[] {VoidArgs.PUTROOTFH, lookup("src"), VoidArgs.SAVEFH, VoidArgs.PUTROOTFH, lookup(dst)};
    }

    private static OpArgs[] copy(NfsClient c, StateId dst, boolean synchronous) {
        return with(pair(c), new CopyArgs(StateId.ANONYMOUS, dst, 0, 0, 0, false, synchronous, List.of()));
    }

    private static byte[] read(NfsClient c, StateId sid, long offset, int count) throws Exception {
        return c.compound(VoidArgs.PUTROOTFH, lookup("dst"), new ReadArgs(sid, offset, count))
                .result(3, ReadResult.class).data();
    }

    private static LookupArgs lookup(String name) {
        return new LookupArgs(name.getBytes(StandardCharsets.UTF_8));
    }

    private static OpArgs[] with(OpArgs[] prefix, OpArgs op) {
        OpArgs[] all = Arrays.copyOf(prefix, prefix.length + 1);
        all[prefix.length] = op;
        return all;
    }

    private static NfsStatus last(CompoundReply r) {
        return r.results().get(r.results().size() - 1).status();
    }
}

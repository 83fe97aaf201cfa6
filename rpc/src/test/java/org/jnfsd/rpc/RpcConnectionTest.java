package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both call directions over real TCP, with {@link RpcServer} and {@link RpcClient}. */
class RpcConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TestProgram program = new TestProgram();
    private final BlockingQueue<RpcConnection> accepted = new LinkedBlockingQueue<>();
    private final PooledByteBufAllocator alloc = CountingAllocator.create();
    private RpcServer server;
    private InetSocketAddress address;
    private RpcClient client;

    @BeforeEach
    void start() throws IOException {
        server = RpcServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).allocator(alloc).program(program)
                .connectionListener(accepted::add).build();
        address = server.start();
        client = RpcClient.builder().allocator(alloc).build();
    }

    @AfterEach
    void stop() {
        program.release.countDown();
        client.close();
        server.close();
        assertThat(CountingAllocator.live(alloc)).as("buffers not released").isZero();
    }

    private static RpcReply await(java.util.concurrent.CompletionStage<RpcReply> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static RpcCallException failure(java.util.concurrent.CompletionStage<RpcReply> stage) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RpcCallException.class);
        return (RpcCallException) t.getCause();
    }

    private static java.util.concurrent.CompletionStage<RpcReply> echo(RpcConnection c, int proc, int value,
            Duration timeout) {
        return c.callAsync(TestProgram.PROGRAM, 1, proc, Credential.AuthNone.INSTANCE, e -> e.writeInt(value), timeout);
    }

    @Test
    void callAsync_null_succeedsWithEmptyResults() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        RpcReply reply = await(c.callAsync(TestProgram.PROGRAM, 2, 0, Credential.AuthNone.INSTANCE, e -> { }, TIMEOUT));
        assertThat(reply.status()).isEqualTo(RpcReply.Status.ACCEPTED);
        assertThat(reply.isSuccess()).isTrue();
        assertThat(reply.results()).isEmpty();
    }

    @Test
    void callAsync_echo_returnsResultsAndDistinctXids() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        RpcReply first = await(echo(c, TestProgram.ECHO, 41, TIMEOUT));
        RpcReply second = await(echo(c, TestProgram.ECHO, 42, TIMEOUT));
        assertThat(first.decoder().readInt()).isEqualTo(41);
        assertThat(second.decoder().readInt()).isEqualTo(42);
        assertThat(second.xid()).isEqualTo(first.xid() + 1);
    }

    @Test
    void callAsync_authSys_deliversFieldsExactly() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        Credential cred = new Credential.AuthSys(77, "host-a", 1001, 50, new int[] {50, 60, 70});
        RpcReply reply = await(c.callAsync(TestProgram.PROGRAM, 1, TestProgram.WHOAMI, cred, e -> { }, TIMEOUT));
        XdrDecoder d = reply.decoder();
        assertThat(d.readInt()).isEqualTo(1);
        assertThat(d.readInt()).isEqualTo(77);
        assertThat(d.readAscii(255)).isEqualTo("host-a");
        assertThat(d.readInt()).isEqualTo(1001);
        assertThat(d.readInt()).isEqualTo(50);
        assertThat(d.readBitmap(16)).containsExactly(50, 60, 70);
    }

    @Test
    void callAsync_errors_areRepliesNotFailures() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        RpcReply mismatch = await(c.callAsync(TestProgram.PROGRAM, 9, 0, Credential.AuthNone.INSTANCE, e -> { }, TIMEOUT));
        assertThat(mismatch.acceptStat()).isEqualTo(AcceptStat.PROG_MISMATCH);
        assertThat(mismatch.mismatchLow()).isEqualTo(1);
        assertThat(mismatch.mismatchHigh()).isEqualTo(2);
        RpcReply unavail = await(c.callAsync(12345, 1, 0, Credential.AuthNone.INSTANCE, e -> { }, TIMEOUT));
        assertThat(unavail.acceptStat()).isEqualTo(AcceptStat.PROG_UNAVAIL);
        RpcReply systemErr = await(c.callAsync(TestProgram.PROGRAM, 1, TestProgram.THROW, Credential.AuthNone.INSTANCE,
                e -> { }, TIMEOUT));
        assertThat(systemErr.acceptStat()).isEqualTo(AcceptStat.SYSTEM_ERR);
    }

    @Test
    void callAsync_fiftyConcurrentCalls_runConcurrentlyAndMatchByXid() throws Exception {
        int n = 50;
        program.barrier = new CountDownLatch(n); // each call waits until all 50 are executing
        RpcConnection c = client.connect(address, List.of());
        List<CompletableFuture<RpcReply>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(echo(c, TestProgram.BARRIER, 1000 + i, TIMEOUT).toCompletableFuture());
        }
        Set<Integer> xids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            RpcReply reply = futures.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.isSuccess()).as("reply %d: %s", i, reply).isTrue();
            assertThat(reply.decoder().readInt()).isEqualTo(1000 + i);
            xids.add(reply.xid());
        }
        assertThat(xids).hasSize(n);
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void callAsync_laterCallFinishingFirst_isAnsweredFirst() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        // BLOCK finishes only after the ECHO sent after it has been answered
        CompletableFuture<RpcReply> blocked = echo(c, TestProgram.BLOCK, 1, TIMEOUT).toCompletableFuture();
        CompletableFuture<RpcReply> quick = echo(c, TestProgram.ECHO, 2, TIMEOUT).toCompletableFuture();
        java.util.Queue<String> completions = new java.util.concurrent.ConcurrentLinkedQueue<>();
        CompletableFuture<Void> quickSeen = quick.thenRun(() -> {
            completions.add("quick");
            program.release.countDown();
        });
        CompletableFuture<Void> blockedSeen = blocked.thenRun(() -> completions.add("blocked"));
        RpcReply quickReply = quick.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        RpcReply blockedReply = blocked.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture.allOf(quickSeen, blockedSeen).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(completions).containsExactly("quick", "blocked");
        assertThat(quickReply.decoder().readInt()).isEqualTo(2);
        assertThat(blockedReply.isSuccess()).as("%s", blockedReply).isTrue();
        assertThat(blockedReply.decoder().readInt()).isEqualTo(1);
    }

    @Test
    void callAsync_serverCallsClientOnItsOwnConnection_fromInsideACall() throws Exception {
        RpcConnection c = client.connect(address, List.of(new TestProgram.CallbackProgram()));
        RpcReply reply = await(echo(c, TestProgram.CALL_BACK, 9, TIMEOUT));
        assertThat(reply.isSuccess()).as("%s", reply).isTrue();
        assertThat(reply.decoder().readInt()).isEqualTo(10);
    }

    @Test
    void callAsync_serverCallsClientOnAcceptedConnection() throws Exception {
        RpcConnection c = client.connect(address, List.of(new TestProgram.CallbackProgram()));
        RpcConnection serverSide = accepted.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(serverSide).isNotNull();
        assertThat(serverSide.remoteAddress()).isEqualTo(c.localAddress());
        assertThat(serverSide.localAddress()).isEqualTo(c.remoteAddress());
        assertThat(serverSide.id()).isNotEqualTo(c.id());
        RpcReply reply = await(serverSide.callAsync(TestProgram.CallbackProgram.PROGRAM, 1,
                TestProgram.CallbackProgram.ADD_ONE, Credential.AuthNone.INSTANCE, e -> e.writeInt(100), TIMEOUT));
        assertThat(reply.decoder().readInt()).isEqualTo(101);
        // a program the client does not serve
        RpcReply unavail = await(serverSide.callAsync(TestProgram.PROGRAM, 1, 1, Credential.AuthNone.INSTANCE,
                e -> e.writeInt(1), TIMEOUT));
        assertThat(unavail.acceptStat()).isEqualTo(AcceptStat.PROG_UNAVAIL);
    }

    @Test
    void callAsync_connectionClosedByClient_failsPendingCall() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        var pending = echo(c, TestProgram.BLOCK, 1, Duration.ofMinutes(1));
        c.close();
        assertThat(failure(pending).reason()).isEqualTo(RpcCallException.Reason.CONNECTION_CLOSED);
        assertThat(((NettyRpcConnection) c).pendingCallCount()).isZero();
    }

    @Test
    void callAsync_connectionClosedByServer_failsPendingCall() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        var pending = echo(c, TestProgram.BLOCK, 1, Duration.ofMinutes(1));
        RpcConnection serverSide = accepted.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        serverSide.close();
        assertThat(failure(pending).reason()).isEqualTo(RpcCallException.Reason.CONNECTION_CLOSED);
    }

    @Test
    void callAsync_afterClose_failsAtOnce() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        CountDownLatch closed = new CountDownLatch(1);
        c.onClose(closed::countDown);
        c.close();
        assertThat(closed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(c.isOpen()).isFalse();
        assertThat(failure(echo(c, TestProgram.ECHO, 1, TIMEOUT)).reason())
                .isEqualTo(RpcCallException.Reason.CONNECTION_CLOSED);
    }

    @Test
    void callAsync_noReplyInTime_failsAndForgetsTheCall() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        var pending = echo(c, TestProgram.BLOCK, 1, Duration.ofMillis(100));
        assertThat(failure(pending).reason()).isEqualTo(RpcCallException.Reason.TIMED_OUT);
        assertThat(((NettyRpcConnection) c).pendingCallCount()).isZero();
        // the late reply is dropped and the connection keeps working
        program.release.countDown();
        assertThat(await(echo(c, TestProgram.ECHO, 3, TIMEOUT)).decoder().readInt()).isEqualTo(3);
    }

    @Test
    void callAsync_argsWriterThrows_failsWithItsException() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        var stage = c.callAsync(TestProgram.PROGRAM, 1, 1, Credential.AuthNone.INSTANCE, e -> {
            e.writeInt(1);
            throw new IllegalArgumentException("bad args");
        }, TIMEOUT);
        assertThatThrownBy(() -> stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("bad args");
        assertThat(((NettyRpcConnection) c).pendingCallCount()).isZero();
    }

    @Test
    void onClose_afterClose_runsAtOnceAndOnlyOnce() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        CountDownLatch first = new CountDownLatch(1);
        c.onClose(first::countDown);
        c.close();
        c.close();
        assertThat(first.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        int[] runs = new int[1];
        c.onClose(() -> runs[0]++);
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void clientClose_closesItsConnections() throws Exception {
        RpcConnection c = client.connect(address, List.of());
        CountDownLatch closed = new CountDownLatch(1);
        c.onClose(closed::countDown);
        client.close();
        assertThat(closed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> client.connect(address, List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void connect_nothingListening_throwsIOException() throws Exception {
        server.close();
        assertThatThrownBy(() -> client.connect(address, List.of())).isInstanceOf(IOException.class);
    }
}

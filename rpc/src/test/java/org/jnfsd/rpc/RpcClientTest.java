package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client side against a hand-written server on a plain socket. */
class RpcClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PooledByteBufAllocator alloc = CountingAllocator.create();
    private ServerSocket listener;
    private RpcClient client;
    private RpcConnection connection;
    private Socket peer;
    private DataInputStream in;
    private DataOutputStream out;

    @BeforeEach
    void setUp() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = RpcClient.builder().allocator(alloc).build();
        connection = client.connect((InetSocketAddress) listener.getLocalSocketAddress(), List.of());
        peer = listener.accept();
        peer.setSoTimeout(5000);
        in = new DataInputStream(peer.getInputStream());
        out = new DataOutputStream(peer.getOutputStream());
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        peer.close();
        listener.close();
        assertThat(CountingAllocator.live(alloc)).as("buffers not released").isZero();
    }

    private byte[] readRecord() throws IOException {
        int mark = in.readInt();
        assertThat(mark & RpcMessages.LAST_FRAGMENT).as("one last fragment").isNotZero();
        byte[] record = new byte[mark & ~RpcMessages.LAST_FRAGMENT];
        in.readFully(record);
        return record;
    }

    private void sendRecord(byte[] message) throws IOException {
        out.writeInt(RpcMessages.LAST_FRAGMENT | message.length);
        out.write(message);
        out.flush();
    }

    private static RpcCallException failure(CompletionStage<RpcReply> stage) {
        Throwable t = catchThrowable(() -> stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(RpcCallException.class);
        return (RpcCallException) t.getCause();
    }

    @Test
    void callAsync_writesCallHeaderExactly() throws Exception {
        Credential cred = new Credential.AuthSys(3, "ab", 10, 20, new int[] {30});
        CompletionStage<RpcReply> stage = connection.callAsync(100003, 4, 1, cred, e -> e.writeInt(0xABCD), TIMEOUT);
        byte[] call = readRecord();
        int xid = ByteBuffer.wrap(call).getInt();
        byte[] authSys = new Msg().i(3).string("ab").i(10, 20, 1, 30).bytes();
        assertThat(call).isEqualTo(new Msg().i(xid, 0, 2, 100003, 4, 1, 1).opaque(authSys).i(0, 0, 0xABCD).bytes());
        sendRecord(new Msg().i(xid, 1, 0, 0, 0, 0, 7).bytes());
        RpcReply reply = stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reply.decoder().readInt()).isEqualTo(7);
    }

    @Test
    void callAsync_malformedReplyWithItsXid_failsTheCall() throws Exception {
        CompletionStage<RpcReply> stage = connection.callAsync(1, 1, 1, Credential.AuthNone.INSTANCE, e -> { }, TIMEOUT);
        int xid = ByteBuffer.wrap(readRecord()).getInt();
        sendRecord(new Msg().i(xid, 1, 7).bytes()); // reply_stat 7
        assertThat(failure(stage).reason()).isEqualTo(RpcCallException.Reason.MALFORMED_REPLY);
        assertThat(((NettyRpcConnection) connection).pendingCallCount()).isZero();
    }

    @Test
    void callAsync_replyWithUnknownXid_isDroppedAndTheRightOneStillMatches() throws Exception {
        CompletionStage<RpcReply> stage = connection.callAsync(1, 1, 1, Credential.AuthNone.INSTANCE, e -> { }, TIMEOUT);
        int xid = ByteBuffer.wrap(readRecord()).getInt();
        sendRecord(new Msg().i(xid + 1000, 1, 0, 0, 0, 0, 1).bytes());
        sendRecord(new Msg().i(xid, 1, 1, 1, AuthStat.AUTH_TOOWEAK.code()).bytes());
        RpcReply reply = stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reply.xid()).isEqualTo(xid);
        assertThat(reply.status()).isEqualTo(RpcReply.Status.DENIED_AUTH_ERROR);
        assertThat(reply.authStat()).isEqualTo(AuthStat.AUTH_TOOWEAK);
    }

    @Test
    void callAsync_peerClosesBeforeReplying_failsTheCall() throws Exception {
        CompletionStage<RpcReply> stage = connection.callAsync(1, 1, 1, Credential.AuthNone.INSTANCE, e -> { },
                Duration.ofMinutes(1));
        readRecord();
        peer.close();
        assertThat(failure(stage).reason()).isEqualTo(RpcCallException.Reason.CONNECTION_CLOSED);
    }

    @Test
    void connection_addresses_matchTheSocket() {
        assertThat(connection.remoteAddress()).isEqualTo(peer.getLocalSocketAddress());
        assertThat(connection.localAddress()).isEqualTo(peer.getRemoteSocketAddress());
        assertThat(connection.isOpen()).isTrue();
    }
}

package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.client.V40CallbackServer;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.rpc.RpcCallException;
import org.jnfsd.rpc.RpcClient;
import org.jnfsd.rpc.RpcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link V40CallbackTransport} over real TCP against a 4.0 callback service the test runs
 * ({@link V40CallbackServer}): it
 * dials on the first call, sends CB_NULL and CB_COMPOUND to the client's program, reports a
 * connection the client closed once, dials again on the next call, never reports a close of its
 * own, and a refused dial fails the call. Waits are bounded (never timed assertions).
 */
class V40CallbackTransportTest {
    static final int PROGRAM = 0x40000123;
    static final long BOUND_S = 30;

    private V40CallbackServer server;
    private InetSocketAddress address;
    private final RpcClient rpc = RpcClient.create();
    private final AtomicInteger lost = new AtomicInteger();
    private final CompletableFuture<Void> lostOnce = new CompletableFuture<>();
    private V40CallbackTransport transport;

    @BeforeEach
    void start() throws Exception {
        server = V40CallbackServer.start(InetAddress.getLoopbackAddress(), PROGRAM);
        address = server.address();
        transport = new V40CallbackTransport(rpc, address, PROGRAM, Duration.ofSeconds(BOUND_S), () -> {
            lost.incrementAndGet();
            lostOnce.complete(null);
        });
    }

    @AfterEach
    void stop() {
        transport.close();
        rpc.close();
        server.close();
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(BOUND_S, TimeUnit.SECONDS);
    }

    @Test
    void firstCall_dials_nullAndCompoundAnswered_minorVersion0AndIdentArrive() throws Exception {
        await(transport.nullAsync());
        CbRecallArgs recall = new CbRecallArgs(new StateId(1, new byte[StateId.OTHER_SIZE]), false, new byte[] {1, 2});
        CbCompoundResult r = await(transport.compoundAsync(new CbCompoundArgs(new byte[0], 0, 99, List.of(recall))));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.results()).hasSize(1);
        assertThat(server.compounds()).hasSize(1);
        CbCompoundArgs got = server.nextCompound();
        assertThat(got.minorVersion()).isZero();
        assertThat(got.callbackIdent()).isEqualTo(99);
        assertThat(server.connections()).as("one connection for both calls").hasSize(1);
    }

    @Test
    void clientClosesTheConnection_reportedOnce_nextCallDialsAgain() throws Exception {
        await(transport.nullAsync());
        RpcConnection first = server.nextConnection();
        first.close(); // the client's side closes

        lostOnce.get(BOUND_S, TimeUnit.SECONDS);
        await(transport.nullAsync());

        assertThat(server.nextConnection()).as("a second connection was dialled").isNotNull();
        assertThat(lost).hasValue(1);
    }

    @Test
    void closedByUs_notReported_laterCallsFailAtOnce() throws Exception {
        await(transport.nullAsync());
        RpcConnection first = server.nextConnection();
        CompletableFuture<Void> serverSideClosed = new CompletableFuture<>();
        first.onClose(() -> serverSideClosed.complete(null));

        transport.close();
        serverSideClosed.get(BOUND_S, TimeUnit.SECONDS);

        assertThatThrownBy(() -> await(transport.nullAsync())).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RpcCallException.class);
        assertThat(lost).as("our own close is no lost connection").hasValue(0);
        assertThat(server.connections()).as("never dialled again").isEmpty();
    }

    @Test
    void nothingListens_callFailsWithTheConnectError_notReportedAsLost() throws Exception {
        server.close();
        V40CallbackTransport refused = new V40CallbackTransport(rpc, address, PROGRAM, Duration.ofSeconds(BOUND_S),
                lost::incrementAndGet);
        try {
            assertThatThrownBy(() -> await(refused.nullAsync())).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IOException.class);
            assertThat(lost).hasValue(0);
        } finally {
            refused.close();
        }
    }
}

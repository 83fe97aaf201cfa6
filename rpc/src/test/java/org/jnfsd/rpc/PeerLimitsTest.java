package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection limits, the memory budget for unfinished records and the idle timeout (issue 16), over TCP. */
class PeerLimitsTest {
    private final TestProgram program = new TestProgram();
    private final PooledByteBufAllocator alloc = CountingAllocator.create();
    private final Map<Refusal, Integer> refusals = new EnumMap<>(Refusal.class);
    private volatile CountDownLatch refusalLatch = new CountDownLatch(1);
    private RpcServer server;

    private InetSocketAddress start(RpcServer.Builder b) throws IOException {
        server = b.bindAddress(InetAddress.getLoopbackAddress()).port(0).allocator(alloc).program(program)
                .refusalListener(r -> {
                    synchronized (refusals) {
                        refusals.merge(r, 1, Integer::sum);
                    }
                    refusalLatch.countDown();
                }).build();
        return server.start();
    }

    private int refused(Refusal r) {
        synchronized (refusals) {
            return refusals.getOrDefault(r, 0);
        }
    }

    @AfterEach
    void stop() {
        program.release.countDown();
        if (server != null) {
            server.close();
            assertThat(server.budget().used()).as("budget charges left").isZero();
        }
        assertThat(CountingAllocator.live(alloc)).as("buffers not released").isZero();
    }

    @Test
    void unfinishedRecords_beyondBudget_largestClosed_peakBounded_othersServed() throws Exception {
        long limit = 1 << 20;
        MemoryBudget budget = new MemoryBudget(limit);
        refusalLatch = new CountDownLatch(3);
        InetSocketAddress address = start(RpcServer.builder().maxRecordSize(512 * 1024).memoryBudget(budget));
        List<Socket> hostile = new ArrayList<>();
        try {
            byte[] part = new byte[300 * 1024];
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), address.getPort());
                hostile.add(s);
                OutputStream out = s.getOutputStream();
                out.write(new Msg().i(RpcMessages.LAST_FRAGMENT | (500 * 1024)).bytes()); // never completed
                out.write(part);
                out.flush();
            }
            assertThat(refusalLatch.await(30, TimeUnit.SECONDS)).as("connections closed for the budget").isTrue();
            try (RawConnection other = new RawConnection(address)) {
                assertThat(other.call(Msg.call(3, TestProgram.ECHO).i(7).bytes()).isSuccess()).isTrue();
            }
        } finally {
            for (Socket s : hostile) {
                s.close();
            }
        }
        // the limit, plus what the event loops read before the largest holder is cut off
        assertThat(budget.peak()).isLessThan(limit + 256 * 1024);
        assertThat(refused(Refusal.RECORD_BUDGET)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void connections_beyondTotalOrPerAddressLimit_areClosed_admittedOnesServed() throws Exception {
        InetSocketAddress address = start(RpcServer.builder().maxConnections(3).maxConnectionsPerAddress(2));
        try (RawConnection a = new RawConnection(address); RawConnection b = new RawConnection(address)) {
            assertThat(a.call(Msg.call(1, TestProgram.ECHO).i(1).bytes()).isSuccess()).isTrue();
            assertThat(b.call(Msg.call(2, TestProgram.ECHO).i(2).bytes()).isSuccess()).isTrue();
            try (RawConnection third = new RawConnection(address)) {
                assertThat(third.closedByPeer()).as("third from one address").isTrue();
            }
            try (Socket other = from("127.0.0.2", address); Socket overTotal = from("127.0.0.3", address)) {
                assertThat(overTotal.getInputStream().read()).as("fourth in all").isEqualTo(-1);
                assertThat(a.call(Msg.call(3, TestProgram.ECHO).i(3).bytes()).isSuccess()).isTrue();
            }
        }
        assertThat(refused(Refusal.CONNECTION_PER_ADDRESS_LIMIT)).isEqualTo(1);
        assertThat(refused(Refusal.CONNECTION_LIMIT)).isEqualTo(1);
    }

    @Test
    void idleConnection_withoutSession_isClosed_boundOneKept() throws Exception {
        InetSocketAddress address = start(RpcServer.builder().idleTimeout(Duration.ofMillis(300)));
        try (RawConnection bound = new RawConnection(address)) {
            assertThat(bound.call(Msg.call(1, TestProgram.BIND).bytes()).isSuccess()).isTrue();
            try (RawConnection idle = new RawConnection(address)) {
                assertThat(idle.closedByPeer()).isTrue();
            }
            // idle for longer than the one just closed, but a session uses it
            assertThat(bound.call(Msg.call(2, TestProgram.ECHO).i(9).bytes()).isSuccess()).isTrue();
        }
        assertThat(refused(Refusal.IDLE)).isEqualTo(1);
    }

    private static Socket from(String local, InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
        s.connect(server, 5000);
        s.setSoTimeout(5000);
        return s;
    }
}

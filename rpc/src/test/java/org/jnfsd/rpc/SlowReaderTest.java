package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Back pressure per connection (issue 16): a peer that sends many calls with large replies and
 * never reads them makes the server hold at most about the connection's bound, is closed once
 * nothing drains within the drain timeout, and another connection is served meanwhile.
 */
class SlowReaderTest {
    private static final int REPLY = 64 * 1024;
    private static final long BOUND = 256 * 1024;
    private static final int CALLS = 800; // 50 MiB of replies: more than loopback socket buffers absorb

    private final TestProgram program = new TestProgram();
    private final PooledByteBufAllocator alloc = CountingAllocator.create();
    private final LinkedBlockingQueue<RpcConnection> accepted = new LinkedBlockingQueue<>();
    private final MemoryBudget budget = new MemoryBudget(64L << 20);
    private RpcServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        server = RpcServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).allocator(alloc)
                .maxRecordSize(2 * REPLY).maxHeldBytesPerConnection(BOUND).drainTimeout(Duration.ofMillis(500))
                .memoryBudget(budget).connectionListener(accepted::add).program(program).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        program.release.countDown();
        server.close();
        assertThat(CountingAllocator.live(alloc)).as("buffers not released").isZero();
        assertThat(budget.used()).as("budget charges left after close").isZero();
    }

    @Test
    void slowReader_heldBytesStayNearBound_closedAfterDrainTimeout_othersServed() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(address, 5000);
            RpcConnection slowOnServer = accepted.poll(10, TimeUnit.SECONDS);
            assertThat(slowOnServer).isNotNull();
            CountDownLatch closed = new CountDownLatch(1);
            slowOnServer.onClose(closed::countDown);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    DataOutputStream out = new DataOutputStream(slow.getOutputStream());
                    for (int i = 0; i < CALLS; i++) {
                        byte[] call = Msg.call(i, TestProgram.BIG).i(REPLY).bytes();
                        out.writeInt(RpcMessages.LAST_FRAGMENT | call.length);
                        out.write(call);
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server closed the connection while we were still sending: expected
                }
            });
            try (RawConnection other = new RawConnection(address)) {
                RpcReply reply = other.call(Msg.call(1, TestProgram.ECHO).i(42).bytes());
                assertThat(reply.isSuccess()).isTrue();
                assertThat(reply.decoder().readInt()).isEqualTo(42);
            }
            assertThat(closed.await(30, TimeUnit.SECONDS)).as("slow reader closed after the drain timeout").isTrue();
            writer.join(Duration.ofSeconds(10));
        }
        // the bound, plus one reply and the small call records read in the last batch before the pause
        assertThat(budget.peak()).isLessThan(BOUND + 2L * REPLY + 64 * 1024);
    }
}

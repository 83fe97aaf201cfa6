package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Back pressure and reply batching, driven deterministically: an embedded channel and an executor run by hand. */
class NettyRpcConnectionTest {
    private final Queue<Runnable> calls = new ArrayDeque<>();
    private final InFlightCalls inFlight = new InFlightCalls();
    private EmbeddedChannel channel;
    private NettyRpcConnection connection;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        ConnectionConfig config = new ConnectionConfig(4096, 2, new CallDispatcher(List.of(new TestProgram())),
                calls::add, inFlight);
        connection = new NettyRpcConnection(channel, config);
        channel.pipeline().addLast(new RecordMarkingDecoder(4096), new RpcMessageHandler(connection, c -> { }));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void sendEcho(int xid) {
        byte[] call = Msg.call(xid, TestProgram.ECHO).i(xid).bytes();
        channel.writeInbound(Unpooled.wrappedBuffer(new Msg().i(RpcMessages.LAST_FRAGMENT | call.length).raw(call).bytes()));
    }

    private int replyXid() {
        ByteBuf reply = channel.readOutbound();
        try {
            return reply.getInt(4);
        } finally {
            reply.release();
        }
    }

    @Test
    void dispatchCall_maximumCallsExecuting_pausesReadingUntilOneFinishes() {
        sendEcho(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        sendEcho(2);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(inFlight.count()).isEqualTo(2);

        calls.remove().run();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(replyXid()).isEqualTo(1);

        calls.remove().run();
        channel.runPendingTasks();
        assertThat(replyXid()).isEqualTo(2);
        assertThat(inFlight.count()).isZero();
    }

    @Test
    void sendReply_repliesFinishedBeforeTheEventLoopRuns_leaveInOneFlush() {
        List<String> outbound = new ArrayList<>();
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                outbound.add("write");
                ctx.write(msg, promise);
            }

            @Override
            public void flush(ChannelHandlerContext ctx) {
                outbound.add("flush");
                ctx.flush();
            }
        });
        sendEcho(1);
        sendEcho(2);
        calls.remove().run();
        calls.remove().run();
        assertThat(outbound).isEmpty(); // queued for the event loop, not written by the call threads

        channel.runPendingTasks();
        assertThat(outbound).containsExactly("write", "write", "flush");
        assertThat(List.of(replyXid(), replyXid())).containsExactly(1, 2);
        assertThat(inFlight.count()).isZero();
    }

    @Test
    void dispatchCall_nullProcedure_answeredOnTheEventLoopAndFlushedAtReadComplete() {
        byte[] call = Msg.call(7, 0).bytes();
        channel.writeInbound(Unpooled.wrappedBuffer(new Msg().i(RpcMessages.LAST_FRAGMENT | call.length).raw(call).bytes()));
        assertThat(calls).isEmpty(); // no virtual thread
        assertThat(inFlight.count()).isZero();
        assertThat(replyXid()).isEqualTo(7); // written and flushed at the end of the read
    }

    @Test
    void sendReply_callFinishingAfterTheClose_releasesItsReply() {
        PooledByteBufAllocator alloc = CountingAllocator.create();
        channel.config().setAllocator(alloc);
        sendEcho(1);
        channel.close();
        calls.remove().run(); // the reply is allocated from alloc and queued after the close
        assertThat(CountingAllocator.live(alloc)).isEqualTo(1);
        channel.runPendingTasks(); // the write fails on the closed channel and releases the reply
        assertThat(CountingAllocator.live(alloc)).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(inFlight.count()).isZero();
    }

    @Test
    void channelWritabilityChanged_unwritable_pausesReadingUntilFlushed() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        sendEcho(1);
        calls.remove().run(); // queues its reply for the event loop
        channel.runPendingTasks(); // which writes and flushes it: still writable
        assertThat(replyXid()).isEqualTo(1);
        channel.write(Unpooled.wrappedBuffer(new byte[32])); // not flushed: over the high-water mark
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.flush();
        assertThat(channel.config().isAutoRead()).isTrue();
        ((ByteBuf) channel.readOutbound()).release();
    }

    @Test
    void writeBufferWaterMark_replyOverNettyDefault64KiB_keepsReadingUntilTwiceMaxRecordSize() {
        int maxRecordSize = 1024 * 1024 + 1024; // a 1 MiB READ reply and its header
        EmbeddedChannel big = new EmbeddedChannel();
        try {
            NettyRpcConnection c = new NettyRpcConnection(big, new ConnectionConfig(maxRecordSize, 2,
                    new CallDispatcher(List.of(new TestProgram())), calls::add, inFlight));
            big.pipeline().addLast(new RecordMarkingDecoder(maxRecordSize), new RpcMessageHandler(c, x -> { }));
            big.write(Unpooled.wrappedBuffer(new byte[1024 * 1024])); // one READ reply, not yet sent
            assertThat(big.isWritable()).isTrue();
            assertThat(big.config().isAutoRead()).isTrue();

            big.write(Unpooled.wrappedBuffer(new byte[maxRecordSize + 2049])); // together: over 2 x maxRecordSize
            assertThat(big.isWritable()).isFalse();
            assertThat(big.config().isAutoRead()).isFalse(); // memory still bounded
        } finally {
            big.finishAndReleaseAll();
        }
    }

    @Test
    void writeBufferWaterMark_unsentRepliesOverHighMark_pausesReadingUntilBelowLowMark() {
        // setUp's connection: maxRecordSize 4096, so the default marks are 4096 and 8192
        channel.write(Unpooled.wrappedBuffer(new byte[8193]));
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.flush();
        assertThat(channel.config().isAutoRead()).isTrue();
        ((ByteBuf) channel.readOutbound()).release();
    }

    @Test
    void constructor_writeBufferHighWaterMarkBelowTwo_isRejected() {
        assertThatThrownBy(() -> new ConnectionConfig(4096, 2, 1, new CallDispatcher(List.of(new TestProgram())),
                calls::add, inFlight)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void remoteAddress_nonInetChannel_isNullNotAnError() {
        assertThat(connection.remoteAddress()).isNull();
        assertThat(connection.isOpen()).isTrue();
    }
}

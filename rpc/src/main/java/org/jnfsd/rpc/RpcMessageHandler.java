package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes whole records (from {@link RecordMarkingDecoder}) by msg_type: calls go to the connection
 * (a virtual thread each, NULL answered at once and flushed at the end of the read batch), replies are matched to pending outgoing calls, anything else is dropped at debug. Runs on
 * the event loop and never blocks. Releases every record it does not hand on.
 */
final class RpcMessageHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RpcMessageHandler.class);

    private final NettyRpcConnection connection;
    /** Told about the connection when it becomes active; runs on the event loop. */
    private final Consumer<RpcConnection> onActive;

    RpcMessageHandler(NettyRpcConnection connection, Consumer<RpcConnection> onActive) {
        this.connection = connection;
        this.onActive = onActive;
    }

    NettyRpcConnection connection() {
        return connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        try {
            onActive.accept(connection);
        } catch (RuntimeException e) {
            LOG.error("Connection listener failed for {}; closing it", connection, e);
            ctx.close();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf record)) {
            ReferenceCountUtil.release(msg);
            throw new IllegalStateException("expected a ByteBuf record, got " + msg.getClass().getName());
        }
        if (record.readableBytes() < 8) {
            LOG.debug("Dropped a {}-byte RPC record from {}: too short for xid and msg_type", record.readableBytes(),
                    ctx.channel().remoteAddress());
            record.release();
            return;
        }
        int msgType = record.getInt(record.readerIndex() + 4);
        if (msgType == RpcMessages.CALL) {
            connection.dispatchCall(record); // takes ownership
        } else if (msgType == RpcMessages.REPLY) {
            try {
                connection.replyReceived(record);
            } finally {
                record.release();
            }
        } else {
            LOG.debug("Dropped an RPC record with xid {} from {}: msg_type {}",
                    CallDispatcher.hex(record.getInt(record.readerIndex())), ctx.channel().remoteAddress(), msgType);
            record.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        connection.flushNullReplies();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        connection.updateAutoRead();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            connection.idle();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Closing {} after an I/O error", connection, cause);
        } else {
            PeerLog.warn(LOG, "rpc-unexpected-error", "Closing {} after an unexpected error", connection, cause);
        }
        ctx.close();
    }
}

package org.jnfsd.rpc;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Sets up a new channel, accepted or connected: record marking, then message routing over a new
 * {@link NettyRpcConnection}. Shared by all channels of a server or client; stateless.
 */
final class RpcChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final int maxRecordSize;
    private final CallDispatcher dispatcher;
    private final Executor executor;
    private final InFlightCalls inFlight;
    private final Consumer<RpcConnection> onActive;

    RpcChannelInitializer(int maxRecordSize, CallDispatcher dispatcher, Executor executor, InFlightCalls inFlight,
            Consumer<RpcConnection> onActive) {
        this.inFlight = inFlight;
        this.maxRecordSize = maxRecordSize;
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.onActive = onActive;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        NettyRpcConnection connection = new NettyRpcConnection(ch, dispatcher, executor, inFlight);
        ch.pipeline().addLast("record-marking", new RecordMarkingDecoder(maxRecordSize));
        ch.pipeline().addLast("rpc", new RpcMessageHandler(connection, onActive));
    }
}

package org.jnfsd.rpc;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Consumer;

/**
 * Sets up a new channel, accepted or connected: record marking, then message routing over a new
 * {@link NettyRpcConnection}. Shared by all channels of a server or client; stateless.
 */
final class RpcChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ConnectionConfig config;
    private final Consumer<RpcConnection> onActive;

    RpcChannelInitializer(ConnectionConfig config, Consumer<RpcConnection> onActive) {
        this.config = config;
        this.onActive = onActive;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        NettyRpcConnection connection = new NettyRpcConnection(ch, config);
        ch.pipeline().addLast("record-marking", new RecordMarkingDecoder(config.maxRecordSize()));
        ch.pipeline().addLast("rpc", new RpcMessageHandler(connection, onActive));
    }
}

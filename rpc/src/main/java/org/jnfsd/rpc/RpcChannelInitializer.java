package org.jnfsd.rpc;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
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
        if (config.guards().idleTimeout() != null) {
            long idle = config.guards().idleTimeout().toNanos();
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.NANOSECONDS));
        }
        ch.pipeline().addLast("record-marking", new RecordMarkingDecoder(config.maxRecordSize(), config.guards()));
        ch.pipeline().addLast("rpc", new RpcMessageHandler(connection, onActive));
    }
}

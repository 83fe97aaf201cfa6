package org.jnfsd.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ceiling for the {@code null} workload on this machine: a Netty server on the same transport
 * as jnfsd's RpcServer (NIO, 2 event-loop threads) that answers every ONC RPC call, whatever its
 * program or procedure, with an accepted SUCCESS reply and no results, on the event loop, doing
 * no other work (no header parsing beyond the xid, no credential check, no thread hand-off).
 *
 * <p>Lifecycle: {@link #start} binds, {@link #close} stops; one start per instance.
 */
public final class BareNullServer implements AutoCloseable {
    private static final int LAST_FRAGMENT = 0x80000000;
    private static final int MAX_RECORD = 1 << 20;

    private final EventLoopGroup group;
    /** Written by start() only. */
    private volatile Channel channel;

    public BareNullServer(int eventLoopThreads) {
        this.group = new MultiThreadIoEventLoopGroup(eventLoopThreads, NioIoHandler.newFactory());
    }

    public InetSocketAddress start(InetAddress bind, int port) throws IOException {
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new NullReplier());
                        }
                    })
                    .bind(bind, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        }
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Reads record-marked calls (single fragment each, as every client we drive sends them) and
     * writes the reply for each. Replies of one read batch are flushed together.
     */
    static final class NullReplier extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
            while (in.readableBytes() >= 8) {
                int mark = in.getInt(in.readerIndex());
                int len = mark & ~LAST_FRAGMENT;
                if ((mark & LAST_FRAGMENT) == 0 || len > MAX_RECORD || len < 4) {
                    throw new IOException("unsupported record mark 0x" + Integer.toHexString(mark));
                }
                if (in.readableBytes() < 4 + len) {
                    return;
                }
                int xid = in.getInt(in.readerIndex() + 4);
                in.skipBytes(4 + len);
                ByteBuf reply = ctx.alloc().buffer(28);
                reply.writeInt(LAST_FRAGMENT | 24)
                        .writeInt(xid)
                        .writeInt(1)   // REPLY
                        .writeInt(0)   // MSG_ACCEPTED
                        .writeInt(0)   // verifier AUTH_NONE
                        .writeInt(0)   // verifier length
                        .writeInt(0);  // SUCCESS
                ctx.write(reply);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            ctx.flush();
            super.channelReadComplete(ctx);
        }
    }

    /** {@code bench/run bare-null --port N}: serves until killed. */
    @Command(name = "bare-null", mixinStandardHelpOptions = true,
            description = "Serve RPC NULL replies with no work (the ceiling for the null workload).")
    static final class Cli implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "0")
        int port;

        @Option(names = "--threads", defaultValue = "2", description = "event-loop threads")
        int threads;

        @Override
        public Integer call() throws Exception {
            BareNullServer s = new BareNullServer(threads);
            InetSocketAddress a = s.start(InetAddress.getLoopbackAddress(), port);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(s::close));
            System.out.println("bare-null ready on " + a.getAddress().getHostAddress() + ":" + a.getPort());
            new CountDownLatch(1).await();
            return 0;
        }
    }
}

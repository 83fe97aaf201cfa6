package org.jnfsd.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens ONC RPC connections over TCP. Each connection can serve programs of its own (the Java NFS
 * client serves the NFSv4.1 callback program on its fore channel connection) and send calls
 * ({@link RpcConnection#callAsync}).
 *
 * <p>The event-loop group is owned by the client, one per {@code RpcClient}, and shared by all the
 * connections it opens; {@link #close()} closes them and shuts the group down. Share one
 * {@code RpcClient} to share threads.
 *
 * <pre>
 *   OPEN ──close()──▶ CLOSED
 * </pre>
 *
 * Compare-and-set on {@link #state}. Thread-safe.
 */
public final class RpcClient implements AutoCloseable {
    enum State { OPEN, CLOSED }

    private final int maxRecordSize;
    private final Duration connectTimeout;
    private final Duration shutdownTimeout;
    private final EventLoopGroup group;
    private final Executor executor = ConnectionConfig.virtualThreadExecutor("rpc-client-call-");
    /** Open connections; added on connect, removed by the connection's close listener. */
    private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
    private final InFlightCalls inFlight = new InFlightCalls();
    /** Null for Netty's default. */
    private final ByteBufAllocator allocator;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    private RpcClient(Builder b) {
        this.maxRecordSize = b.maxRecordSize;
        this.connectTimeout = b.connectTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.allocator = b.allocator;
        this.group = new MultiThreadIoEventLoopGroup(b.eventLoopThreads, new DefaultThreadFactory("rpc-client-io"),
                NioIoHandler.newFactory());
    }

    /** A client with the default settings. */
    public static RpcClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to {@code server} and returns the connection once it is established. Blocks the
     * calling thread (at most the connect timeout); never call it on an event loop.
     *
     * @param served programs answered on this connection (calls from the server), may be empty
     * @throws IOException if the connection cannot be established
     * @throws IllegalStateException if the client is closed
     */
    public RpcConnection connect(InetSocketAddress server, List<? extends RpcProgram> served) throws IOException {
        return connect(server, served, null);
    }

    /**
     * As {@link #connect(InetSocketAddress, List)} from a given local address (e.g. 127.0.0.2, to
     * test per-client export rules); null lets the system choose.
     */
    public RpcConnection connect(InetSocketAddress server, List<? extends RpcProgram> served, InetSocketAddress local)
            throws IOException {
        Objects.requireNonNull(server, "server");
        if (state.get() != State.OPEN) {
            throw new IllegalStateException("RPC client is closed");
        }
        Bootstrap bootstrap = bootstrap(served);
        ChannelFuture connect = local == null ? bootstrap.connect(server) : bootstrap.connect(server, local);
        if (!connect.awaitUninterruptibly(connectTimeout.toMillis() + 1000)) {
            connect.channel().close();
            throw new IOException("connecting to " + server + " timed out after " + connectTimeout);
        }
        if (!connect.isSuccess()) {
            throw new IOException("cannot connect to " + server, connect.cause());
        }
        RpcConnection connection = connect.channel().pipeline().get(RpcMessageHandler.class).connection();
        connections.add(connection);
        connection.onClose(() -> connections.remove(connection));
        if (state.get() != State.OPEN) {
            connection.close(); // close() ran concurrently and may have missed this connection
            throw new IllegalStateException("RPC client is closed");
        }
        return connection;
    }

    /**
     * As {@link #connect(InetSocketAddress, List)} without blocking: the stage completes on the event
     * loop once the connection is established (bounded by the connect timeout), or fails with an
     * {@link IOException}. The server's NFSv4.0 callback transport dials out this way from its
     * callback queue, which must never wait for a peer.
     */
    public java.util.concurrent.CompletionStage<RpcConnection> connectAsync(InetSocketAddress server,
            List<? extends RpcProgram> served) {
        Objects.requireNonNull(server, "server");
        java.util.concurrent.CompletableFuture<RpcConnection> result = new java.util.concurrent.CompletableFuture<>();
        if (state.get() != State.OPEN) {
            result.completeExceptionally(new IllegalStateException("RPC client is closed"));
            return result;
        }
        ChannelFuture connect;
        try {
            connect = bootstrap(served).connect(server);
        } catch (RuntimeException e) {
            result.completeExceptionally(new IOException("cannot connect to " + server, e));
            return result;
        }
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot connect to " + server, f.cause()));
                return;
            }
            RpcConnection connection = connect.channel().pipeline().get(RpcMessageHandler.class).connection();
            connections.add(connection);
            connection.onClose(() -> connections.remove(connection));
            if (state.get() != State.OPEN) {
                connection.close(); // close() ran concurrently and may have missed this connection
                result.completeExceptionally(new IllegalStateException("RPC client is closed"));
                return;
            }
            result.complete(connection);
        });
        return result;
    }

    private Bootstrap bootstrap(List<? extends RpcProgram> served) {
        CallDispatcher dispatcher = new CallDispatcher(served);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new RpcChannelInitializer(new ConnectionConfig(maxRecordSize,
                        ConnectionConfig.DEFAULT_MAX_CALLS_PER_CONNECTION, dispatcher, executor, inFlight), c -> { }));
        if (allocator != null) {
            bootstrap.option(ChannelOption.ALLOCATOR, allocator);
        }
        return bootstrap;
    }

    /**
     * Closes every connection (pending outgoing calls fail), waits for the calls served on them that
     * are still executing, and shuts down the event loops; each phase bounded by the shutdown
     * timeout. Idempotent. Blocks: never call it on an event loop, nor from a call served by this
     * client (it would wait for itself until the timeout).
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (RpcConnection c : connections) {
            closing.add(((NettyRpcConnection) c).channel().close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(shutdownTimeout.toMillis());
        }
        RpcServer.awaitCalls(inFlight, shutdownTimeout, "RPC client");
        group.shutdownGracefully(0, shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(2 * shutdownTimeout.toMillis());
    }

    /** Configuration of an {@link RpcClient}. */
    public static final class Builder {
        private int maxRecordSize = RpcServer.DEFAULT_MAX_RECORD_SIZE;
        private int eventLoopThreads = 1;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(2);
        private ByteBufAllocator allocator;

        private Builder() {
        }

        /** The buffer allocator of all channels; default Netty's. For tests that count buffers. */
        Builder allocator(ByteBufAllocator alloc) {
            this.allocator = Objects.requireNonNull(alloc, "alloc");
            return this;
        }

        /** The largest record accepted from servers; default {@link RpcServer#DEFAULT_MAX_RECORD_SIZE}. */
        public Builder maxRecordSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxRecordSize " + bytes);
            }
            this.maxRecordSize = bytes;
            return this;
        }

        /** Event-loop threads shared by all connections; default 1. */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("eventLoopThreads " + threads);
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /** Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Bound on each phase of {@link #close()}; default 2 s. */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        public RpcClient build() {
            return new RpcClient(this);
        }
    }
}

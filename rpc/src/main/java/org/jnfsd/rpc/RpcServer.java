package org.jnfsd.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONC RPC server over TCP: accepts connections and serves the given programs on them, each
 * call on its own virtual thread (NULL calls are answered on the event loop). Every connection can also carry calls to the peer
 * ({@link RpcConnection#callAsync}), which is how the NFSv4.1 backchannel reaches a client.
 *
 * <pre>
 *   NEW ──start()──▶ RUNNING ──close()──▶ CLOSED
 *    └───────────────close()─────────────────┘
 * </pre>
 *
 * Transitions are compare-and-set on {@link #state}. Close order: stop accepting (close the
 * listening channel) → close every connection (their pending outgoing calls fail) → wait for the
 * calls still executing on virtual threads (their replies are discarded and released, as the
 * connections are closed) → shut the event loops down. Each phase is bounded by
 * {@link Builder#shutdownTimeout}; a call still running after that is logged and left behind.
 *
 * <p>Thread-safe.
 */
public final class RpcServer implements AutoCloseable {
    /** 4 MiB of data plus 64 KiB for the RPC and COMPOUND headers around it. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 4 * 1024 * 1024 + 64 * 1024;

    /** Default {@link Builder#maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** Default {@link Builder#maxConnectionsPerAddress}: a NAT of many clients still fits; one peer cannot take all. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    enum State { NEW, RUNNING, CLOSED }

    private final InetSocketAddress bindAddress;
    private final Duration shutdownTimeout;
    private final EventLoopGroup group;
    private final ServerBootstrap bootstrap;
    /** Open connections; added on accept, removed on close by the connection's close listener. */
    private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
    private final InFlightCalls inFlight = new InFlightCalls();
    private final MemoryBudget budget;
    private final PeerGuards guards;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    /** Connections admitted and not yet closed; changed by {@link #admit} and {@link #leave} only. */
    private final java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    /** Admitted connections per peer address; an entry is removed when its count reaches zero. */
    private final java.util.concurrent.ConcurrentMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Written once by start() before it returns; read by close() after the state CAS. */
    private volatile Channel serverChannel;

    private RpcServer(Builder b) {
        this.bindAddress = new InetSocketAddress(b.bindAddress, b.port);
        this.shutdownTimeout = b.shutdownTimeout;
        CallDispatcher dispatcher = new CallDispatcher(b.programs);
        Executor executor = ConnectionConfig.virtualThreadExecutor("rpc-server-call-");
        Consumer<RpcConnection> listener = b.connectionListener;
        this.budget = b.budget != null ? b.budget : MemoryBudget.forThisJvm();
        this.guards = new PeerGuards(budget, b.refusalListener, b.idleTimeout);
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        Consumer<RpcConnection> onActive = connection -> {
            if (!admit(connection)) {
                connection.close();
                return;
            }
            connections.add(connection);
            connection.onClose(() -> {
                connections.remove(connection);
                leave(connection);
            });
            LOG.debug("Accepted {}", connection);
            listener.accept(connection);
        };
        this.group = new MultiThreadIoEventLoopGroup(b.eventLoopThreads, new DefaultThreadFactory("rpc-server-io"),
                NioIoHandler.newFactory());
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true);
        int highWater = b.writeBufferHighWaterMark > 0 ? b.writeBufferHighWaterMark
                : ConnectionConfig.defaultWriteBufferHighWaterMark(b.maxRecordSize);
        bootstrap.childHandler(new RpcChannelInitializer(new ConnectionConfig(b.maxRecordSize, b.maxCallsPerConnection,
                highWater, dispatcher, executor, inFlight, b.maxHeldBytes > 0 ? b.maxHeldBytes : highWater,
                b.drainTimeout, guards), onActive));
        if (b.allocator != null) {
            bootstrap.option(ChannelOption.ALLOCATOR, b.allocator).childOption(ChannelOption.ALLOCATOR, b.allocator);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts accepting connections.
     *
     * @return the bound address (with the actual port when port 0 was asked for)
     * @throws IOException if binding fails (the server is then closed)
     * @throws IllegalStateException if already started or closed
     */
    public InetSocketAddress start() throws IOException {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("RPC server is " + state.get());
        }
        ChannelFuture bind = bootstrap.bind(bindAddress).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            close();
            throw new IOException("cannot bind the RPC server to " + bindAddress, bind.cause());
        }
        serverChannel = bind.channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("RPC server listening on {}", bound);
        return bound;
    }

    /**
     * Counts a new connection in, unless it is beyond the total or per-address limit (then it is
     * refused: counted, logged rate-limited, and the caller closes it). Event loop.
     */
    private boolean admit(RpcConnection c) {
        if (admitted.incrementAndGet() > maxConnections) {
            admitted.decrementAndGet();
            guards.refused(Refusal.CONNECTION_LIMIT, "Refused a connection from {}: {} connections open, the limit",
                    c.remoteAddress(), maxConnections);
            return false;
        }
        InetAddress peer = c.remoteAddress() == null ? null : c.remoteAddress().getAddress();
        if (peer != null) {
            int n = perAddress.merge(peer, 1, Integer::sum);
            if (n > maxConnectionsPerAddress) {
                perAddress.computeIfPresent(peer, (k, v) -> v == 1 ? null : v - 1);
                admitted.decrementAndGet();
                guards.refused(Refusal.CONNECTION_PER_ADDRESS_LIMIT,
                        "Refused a connection from {}: {} connections open from that address, the limit", c.remoteAddress(),
                        maxConnectionsPerAddress);
                return false;
            }
        }
        return true;
    }

    /** Counts an admitted connection out when it closes. */
    private void leave(RpcConnection c) {
        admitted.decrementAndGet();
        InetAddress peer = c.remoteAddress() == null ? null : c.remoteAddress().getAddress();
        if (peer != null) {
            perAddress.computeIfPresent(peer, (k, v) -> v == 1 ? null : v - 1);
        }
    }

    /** The memory budget every connection charges. */
    public MemoryBudget budget() {
        return budget;
    }

    /** Connections currently open (a snapshot). */
    public List<RpcConnection> connections() {
        return List.copyOf(connections);
    }

    /**
     * Stops accepting, closes all connections, waits for executing calls and shuts down the event
     * loops; idempotent. Blocks, bounded by the shutdown timeout per phase: never call it on an
     * event loop, nor from a call this server executes (it would wait for itself until the timeout).
     */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        Channel listening = serverChannel;
        if (listening != null) {
            listening.close().awaitUninterruptibly(remainingMillis(deadline));
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (RpcConnection c : connections) {
            closing.add(((NettyRpcConnection) c).channel().close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(remainingMillis(deadline));
        }
        awaitCalls(inFlight, shutdownTimeout, "RPC server");
        if (!group.shutdownGracefully(0, shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(remainingMillis(deadline) + shutdownTimeout.toMillis())) {
            LOG.warn("RPC server event loops did not stop within {}", shutdownTimeout);
        }
        LOG.info("RPC server on {} closed", listening == null ? bindAddress : listening.localAddress());
    }

    /** Waits (bounded) for calls executing on virtual threads; logs those left behind. */
    static void awaitCalls(InFlightCalls inFlight, Duration timeout, String owner) {
        try {
            int left = inFlight.awaitZero(timeout);
            if (left > 0) {
                LOG.warn("{}: {} calls still executing after {}; closing without them", owner, left, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("{}: interrupted while waiting for {} executing calls", owner, inFlight.count(), e);
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** Configuration of an {@link RpcServer}; every option has a usable default except the programs. */
    public static final class Builder {
        private InetAddress bindAddress = new InetSocketAddress(0).getAddress();
        private int port = 2049;
        private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
        private final List<RpcProgram> programs = new ArrayList<>();
        private Consumer<RpcConnection> connectionListener = c -> { };
        private int eventLoopThreads = 2;
        private int maxCallsPerConnection = ConnectionConfig.DEFAULT_MAX_CALLS_PER_CONNECTION;
        /** 0: two maximum-size records, see {@link #writeBufferHighWaterMark(int)}. */
        private int writeBufferHighWaterMark;
        private Duration shutdownTimeout = Duration.ofSeconds(2);
        private ByteBufAllocator allocator;
        /** 0: the write-buffer high-water mark. */
        private long maxHeldBytes;
        private Duration drainTimeout = ConnectionConfig.DEFAULT_DRAIN_TIMEOUT;
        private MemoryBudget budget;
        private Consumer<Refusal> refusalListener = r -> { };
        private Duration idleTimeout;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

        private Builder() {
        }

        /** Called (on any thread; must not block) for every refusal, to count it. Default none. */
        public Builder refusalListener(Consumer<Refusal> listener) {
            this.refusalListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * A connection that no session uses and that reads and writes nothing for this long is
         * closed (knfsd closes idle connections after about 6 minutes). Null (default): never.
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** Connections open at once; one more is closed at once. Default {@link #DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections " + n);
            }
            this.maxConnections = n;
            return this;
        }

        /** Connections open at once from one client address. Default {@link #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}. */
        public Builder maxConnectionsPerAddress(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnectionsPerAddress " + n);
            }
            this.maxConnectionsPerAddress = n;
            return this;
        }

        /**
         * Once the records of executing calls plus the unsent replies of one connection exceed
         * this many bytes, it stops reading until they are back to half; calls that reserve
         * reply space ({@link RpcConnection#reserveReply}) wait for it. Default the write-buffer
         * high-water mark (two maximum-size records).
         */
        public Builder maxHeldBytesPerConnection(long bytes) {
            if (bytes < 2) {
                throw new IllegalArgumentException("maxHeldBytesPerConnection " + bytes);
            }
            this.maxHeldBytes = bytes;
            return this;
        }

        /** A connection paused for held bytes that writes none of them for this long is closed; default 60 s. */
        public Builder drainTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("drainTimeout " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /** The server-wide memory budget; default {@link MemoryBudget#forThisJvm()}. */
        public Builder memoryBudget(MemoryBudget b) {
            this.budget = Objects.requireNonNull(b, "budget");
            return this;
        }

        /** The buffer allocator of all channels; default Netty's. For tests that count buffers. */
        Builder allocator(ByteBufAllocator alloc) {
            this.allocator = Objects.requireNonNull(alloc, "alloc");
            return this;
        }

        /** The local address to listen on; default the wildcard address. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The TCP port; 0 for an ephemeral one (see {@link #start()}); default 2049. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** The largest record accepted; a bigger one closes its connection. Default {@link #DEFAULT_MAX_RECORD_SIZE}. */
        public Builder maxRecordSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxRecordSize " + bytes);
            }
            this.maxRecordSize = bytes;
            return this;
        }

        /** Adds a program to serve; one per program number. */
        public Builder program(RpcProgram program) {
            programs.add(Objects.requireNonNull(program, "program"));
            return this;
        }

        public Builder programs(List<? extends RpcProgram> list) {
            list.forEach(this::program);
            return this;
        }

        /**
         * Called with each accepted connection before any call on it is read. Runs on an event loop:
         * it must be quick and never block. If it throws, the error is logged and the connection
         * closed. Default: none.
         */
        public Builder connectionListener(Consumer<RpcConnection> listener) {
            this.connectionListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Once this many calls of one connection are executing, the server stops reading from it
         * until one finishes; default 256.
         */
        public Builder maxCallsPerConnection(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("maxCallsPerConnection " + calls);
            }
            this.maxCallsPerConnection = calls;
            return this;
        }

        /**
         * Once this many bytes of replies of one connection wait unsent, the server stops reading
         * from it until half of them are sent. Default twice the {@link #maxRecordSize(int) maximum
         * record size}: a smaller mark than the largest reply pauses reading behind every such reply.
         */
        public Builder writeBufferHighWaterMark(int bytes) {
            if (bytes < 2) {
                throw new IllegalArgumentException("writeBufferHighWaterMark " + bytes);
            }
            this.writeBufferHighWaterMark = bytes;
            return this;
        }

        /** Event-loop threads (socket I/O and framing only); default 2. */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("eventLoopThreads " + threads);
            }
            this.eventLoopThreads = threads;
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

        /** @throws IllegalArgumentException if two programs share a number or a version range is empty */
        public RpcServer build() {
            return new RpcServer(this);
        }
    }
}

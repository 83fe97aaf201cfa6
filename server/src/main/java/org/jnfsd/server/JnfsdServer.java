package org.jnfsd.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jnfsd.core.NfsProgram;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.lease.ExecutorLeaseScheduler;
import org.jnfsd.core.lease.ServerShutdown;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.rpc.Refusal;
import org.jnfsd.rpc.RpcServer;
import org.jnfsd.server.admin.AdminProgram;
import org.jnfsd.server.admin.FaultInjector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable NFSv4.1/4.2 server: exports, configuration and a TCP listener. The daemon
 * ({@code org.jnfsd.daemon.Main}, module jnfsd-daemon) is one user of it; a Java program can serve its own storage the same way:
 *
 * <pre>{@code
 * try (JnfsdServer s = JnfsdServer.builder().export(new Export(1, "/", myFs)).port(0).build()) {
 *     InetSocketAddress where = s.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Lifecycle: NEW → RUNNING ({@link #start}) → CLOSED ({@link #close}); close is idempotent and
 * closes the exports' file systems, not the recovery store (its maker closes it). {@link #start}
 * binds the port, then opens a new epoch in the recovery store and, if an earlier instance left
 * clients that may reclaim, starts the grace period (a start that cannot bind records no epoch);
 * it also starts the lease laundromat on its own
 * scheduler thread; {@link #close} stops it, waiting at most {@link #LAUNDROMAT_STOP_TIMEOUT_SECONDS}
 * for a run in progress. Thread-safe.
 *
 * <p>Close order: stop the laundromat → refuse new work and tear every client down in the declared
 * order, then kill every callback channel ({@link ServerContext#shutDown}, each phase bounded by
 * {@link Builder#shutdownBound}; what was stuck is logged and kept in {@link #shutdownReport}) →
 * close the RPC server (listener, connections, executing calls) → close the exports' file systems →
 * stop the context's executors and timers ({@link ServerContext#close}).
 */
public final class JnfsdServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JnfsdServer.class);

    enum State { NEW, RUNNING, CLOSED }

    /** Connections the RPC layer refused or cut off, by {@code reason} (a {@link org.jnfsd.rpc.Refusal}). */
    public static final String REFUSED = "jnfsd.connections.refused";

    private final ServerContext context;
    private final InetAddress bindAddress;
    private final int port;
    private final int maxRecordSize;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Written once by start(), read by close(). */
    private volatile RpcServer rpc;
    /** Written once by start(), read by close(). */
    private volatile ScheduledExecutorService laundromatThread;
    static final long LAUNDROMAT_STOP_TIMEOUT_SECONDS = 5;
    /** Default bound of each phase of the client shutdown. */
    public static final Duration DEFAULT_SHUTDOWN_BOUND = Duration.ofSeconds(10);
    private final Duration shutdownBound;
    private final boolean allowFaultInjection;
    /** Written once by close(). */
    private volatile ServerShutdown.Report shutdownReport;

    private JnfsdServer(Builder b) {
        this.context = new ServerContext(b.config, new ExportTable(b.exports), b.clock,
                b.recoveryStore != null ? b.recoveryStore : new InMemoryRecoveryStore(),
                b.meterRegistry != null ? new ServerCounters(b.meterRegistry) : new ServerCounters());
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.maxRecordSize = b.config.maxRequestSize() + 64 * 1024;
        this.shutdownBound = b.shutdownBound;
        this.allowFaultInjection = b.allowFaultInjection;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ServerContext context() {
        return context;
    }

    /** What the client shutdown in {@link #close} did; empty before close (or if never started). */
    public Optional<ServerShutdown.Report> shutdownReport() {
        return Optional.ofNullable(shutdownReport);
    }

    /** Binds and starts serving; returns the bound address (useful with port 0). */
    public InetSocketAddress start() throws IOException {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("server is " + state.get());
        }
        NfsProgram nfs = new NfsProgram(new CompoundProcessor(context, StandardOperations.table()));
        // every refusal's series exists from the start, at 0, so dashboards and alerts see it
        for (Refusal reason : Refusal.values()) {
            Counter.builder(REFUSED).tag("reason", reason.name()).register(context.counters().registry());
        }
        RpcServer server = RpcServer.builder()
                .bindAddress(bindAddress)
                .port(port)
                .maxRecordSize(maxRecordSize)
                .program(nfs)
                .program(new AdminProgram(context, new FaultInjector(context, allowFaultInjection)))
                .connectionListener(c -> context.counters().increment(ServerEvent.CONNECTION_ACCEPTED))
                .refusalListener(r -> Counter.builder(REFUSED).tag("reason", r.name())
                        .register(context.counters().registry()).increment())
                .maxConnections(context.config().limits().maxConnections())
                .maxConnectionsPerAddress(context.config().limits().maxConnectionsPerAddress())
                .idleTimeout(context.config().limits().idleConnectionTimeout())
                .build();
        context.counters().gauge("jnfsd.connections", () -> server.connections().size());
        InetSocketAddress bound = server.start();
        this.rpc = server;
        // only a server that listens opens an epoch: a start that cannot bind leaves the store as it was
        context.grace().open();
        ScheduledExecutorService laundry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jnfsd-laundromat");
            t.setDaemon(true);
            return t;
        });
        this.laundromatThread = laundry;
        context.laundromat().start(new ExecutorLeaseScheduler(laundry));
        return bound;
    }

    /**
     * Stops serving at once because this node may no longer serve (cluster fencing: another node
     * is about to take the service over). The listener and every connection close first, with the
     * calls executing on them, so that nothing is answered or granted after this returns; then the
     * rest closes as {@link #close} does, which keeps the clients' recovery records for the node
     * that takes over.
     */
    public void fence() {
        RpcServer server = rpc;
        if (server != null) {
            server.close();
        }
        close();
    }

    @Override
    public void close() {
        State prev = state.getAndSet(State.CLOSED);
        if (prev == State.CLOSED) {
            return;
        }
        context.laundromat().close();
        ScheduledExecutorService laundry = laundromatThread;
        if (laundry != null) {
            laundry.shutdown();
            try {
                if (!laundry.awaitTermination(LAUNDROMAT_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    log.warn("laundromat still running after {} s; interrupting it", LAUNDROMAT_STOP_TIMEOUT_SECONDS);
                    laundry.shutdownNow();
                }
            } catch (InterruptedException e) {
                log.warn("interrupted while stopping the laundromat", e);
                laundry.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        RpcServer server = rpc;
        if (server != null) {
            shutdownReport = context.shutDown(shutdownBound);
            server.close();
        }
        for (Export e : context.exports().all()) {
            try {
                e.fs().close();
            } catch (RuntimeException ex) {
                log.warn("closing export {} failed", e.path(), ex);
            }
        }
        // last: the context's executors and timers (callback queues and timers, teardown pool, copies)
        context.close();
        log.info("jnfsd stopped");
    }

    /**
     * Settings for a {@link JnfsdServer}; defaults: 127.0.0.1, port 2049, default config, a fresh
     * in-memory recovery store (so no reclaim after a restart).
     */
    public static final class Builder {
        private final List<Export> exports = new ArrayList<>();
        private ServerConfig config = ServerConfig.defaults();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 2049;
        private Clock clock = Clock.systemUTC();
        private RecoveryStore recoveryStore;
        private MeterRegistry meterRegistry;
        private Duration shutdownBound = DEFAULT_SHUTDOWN_BOUND;
        private boolean allowFaultInjection;

        public Builder export(Export e) {
            exports.add(e);
            return this;
        }

        public Builder config(ServerConfig c) {
            this.config = c;
            return this;
        }

        public Builder bindAddress(InetAddress a) {
            this.bindAddress = a;
            return this;
        }

        public Builder port(int p) {
            this.port = p;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /**
         * Where clients that may reclaim after a restart are kept; hand the next server instance the
         * same store (or one over the same state directory) for it to offer a grace period.
         */
        public Builder recoveryStore(RecoveryStore r) {
            this.recoveryStore = r;
            return this;
        }

        /** Count into this Micrometer registry (default: a private one, read by {@code jnfsd stats}). */
        public Builder meterRegistry(MeterRegistry r) {
            this.meterRegistry = r;
            return this;
        }

        /**
         * How long {@link JnfsdServer#close} waits for the clients' teardowns, and then again for
         * the callback channels' kill, before logging what is stuck and going on (default
         * {@link #DEFAULT_SHUTDOWN_BOUND}).
         */
        public Builder shutdownBound(Duration bound) {
            if (bound.isNegative()) {
                throw new IllegalArgumentException("shutdown bound " + bound);
            }
            this.shutdownBound = bound;
            return this;
        }

        /**
         * Whether the admin program's INJECT ({@code jnfsd inject}) may inject faults: recalls,
         * revocations, callback delays, dropped back channels (default: off).
         */
        public Builder allowFaultInjection(boolean allow) {
            this.allowFaultInjection = allow;
            return this;
        }

        public JnfsdServer build() {
            return new JnfsdServer(this);
        }
    }
}

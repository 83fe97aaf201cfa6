package org.jnfsd.daemon;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jnfsd.cluster.ClusterDatabase;
import org.jnfsd.cluster.ClusterNode;
import org.jnfsd.cluster.PostgresRecoveryStore;
import org.jnfsd.cluster.ServiceLeases;
import org.jnfsd.server.JnfsdServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon as one node of a cluster: a {@link ClusterNode} ticked every quarter of the service
 * lease on one scheduler thread, which starts a {@link JnfsdServer} on the service address when
 * the node comes to own the service and fences it ({@link JnfsdServer#fence}: listener and
 * connections first) when the node can no longer be sure it owns it.
 *
 * <p>Lifecycle: {@link #start} ticks once on the caller's thread (a node that may serve at once
 * serves before start returns), then schedules the ticks; {@link #close} stops the ticks, then
 * closes the node (a serving node stops and releases its lease, so a standby may take over at
 * once), then the renewal threads and the database pool. The ticker thread is the only caller of {@link ClusterNode#tick}
 * after start; {@code tick} is synchronized with {@code close}.
 */
final class ClusterServe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterServe.class);
    private static final long TICKER_STOP_SECONDS = 30;

    /** Builds (not starts) the NFS server of one serving spell over the node's store. */
    @FunctionalInterface
    interface ServerFactory {
        JnfsdServer build(PostgresRecoveryStore store) throws IOException;
    }

    private final ClusterDatabase db;
    private final ClusterNode node;
    private final ScheduledExecutorService ticker;
    private final ExecutorService renewals;

    private ClusterServe(ClusterDatabase db, ClusterNode node, ScheduledExecutorService ticker, ExecutorService renewals) {
        this.db = db;
        this.node = node;
        this.ticker = ticker;
        this.renewals = renewals;
    }

    /** Starts the node; closes {@code db} when the start fails. */
    static ClusterServe start(ClusterDatabase db, String nodeId, String service, ClusterNode.Mode mode, Duration lease,
            AddressHook hook, ServerFactory servers) {
        ServiceLeases leases = new ServiceLeases(db, nodeId, lease, null);
        // a thread per renewal: one the database never answers is left behind, not waited for
        ExecutorService renewals = Executors.newVirtualThreadPerTaskExecutor();
        // address up → server started; on fencing: server stopped (listener first) → address down
        ClusterNode node = new ClusterNode(db, nodeId, service, mode, leases, Clock.systemUTC(), store -> {
            if (hook != null) {
                hook.up();
            }
            JnfsdServer server = null;
            try {
                server = servers.build(store);
                server.start();
            } catch (IOException | RuntimeException e) {
                if (server != null) {
                    server.fence();
                }
                if (hook != null) {
                    hook.down();
                }
                throw e;
            }
            JnfsdServer running = server;
            return () -> {
                try {
                    running.fence();
                } finally {
                    if (hook != null) {
                        hook.down();
                    }
                }
            };
        }, renewals);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jnfsd-cluster-" + service);
            t.setDaemon(true);
            return t;
        });
        try {
            node.tick();
            long period = Math.max(1, lease.toMillis() / 4);
            ticker.scheduleWithFixedDelay(() -> tick(node), period, period, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            ticker.shutdownNow();
            node.close();
            renewals.shutdownNow();
            db.close();
            throw e;
        }
        return new ClusterServe(db, node, ticker, renewals);
    }

    /** One tick; anything it throws is logged, never lost, and never stops the ticks. */
    private static void tick(ClusterNode node) {
        try {
            node.tick();
        } catch (RuntimeException e) {
            log.error("cluster node tick failed", e);
        }
    }

    ClusterNode.State state() {
        return node.state();
    }

    @Override
    public void close() {
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(TICKER_STOP_SECONDS, TimeUnit.SECONDS)) {
                log.warn("cluster node tick still running after {} s; closing the node anyway", TICKER_STOP_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.close();
        // a renewal still blocked on the database ends with the pool's connections
        renewals.shutdownNow();
        db.close();
    }
}

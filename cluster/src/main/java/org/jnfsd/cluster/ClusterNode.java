package org.jnfsd.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's part in serving a service of the cluster: standby until it owns the service, then
 * serving under the lease it renews, fenced (serving stopped) as soon as it cannot be sure it still
 * owns it.
 *
 * <pre>
 *   STANDBY ──(owns the service: first start, lapsed lease in AUTO mode, or an operator's
 *      ▲        takeover whose serve-after time has come)──► SERVING
 *      │                                                       │
 *      └───── FENCED ◄──(renewal refused, or no renewal for FENCE_AFTER of the lease)┘
 *   any ──close()──► CLOSED
 * </pre>
 *
 * {@link #tick} makes every transition; the daemon calls it every quarter lease from one
 * scheduled thread (tests call it themselves, on a manual clock), and it is synchronized, so the
 * state and the running service have one writer at a time. FENCED behaves as STANDBY: in AUTO mode
 * the node may win the service back once it is free.
 *
 * <p>Fencing: the owner measures its lease on its own clock from before the last renewal that
 * succeeded, and stops serving after two thirds of it. The database measures the lease from a
 * later instant (when the renewal reached it) and no other node may take the service before all
 * of it has passed, so the old owner has stopped by then: the lease must be shorter than the
 * takeover wait, which it is by construction (a standby waits for the whole lease, the owner only
 * two thirds). A renewal the database does not answer is waited for (on the renewal executor
 * of the daemon's constructor) only until five sixths of the lease, halfway between that deadline
 * and the lease's end, so a hung connection cannot keep a node serving until another may start. Closing the service removes the service address first, so no request reaches
 * the old owner once it is fenced.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    /** When a standby takes the service over. */
    public enum Mode {
        /** Only after {@code jnfsd takeover} named this node. */
        MANUAL,
        /** As soon as the owner's lease lapsed. */
        AUTO
    }

    /** See the class comment for the diagram. */
    public enum State {
        STANDBY,
        SERVING,
        FENCED,
        CLOSED
    }

    /** What the daemon runs while this node serves: started on ownership, closed to fence. */
    @FunctionalInterface
    public interface Service {
        /** Starts serving with {@code store} (bind the service address, start the NFS server). */
        AutoCloseable start(PostgresRecoveryStore store) throws Exception;
    }

    private final ClusterDatabase db;
    private final String nodeId;
    private final String service;
    private final Mode mode;
    private final ServiceLeases leases;
    private final Clock localClock;
    private final Service starter;
    private final Duration fenceAfter;
    private final Executor renewals;
    private final Duration waitGrace;

    // guarded by this
    private State state = State.STANDBY;
    // guarded by this: while SERVING
    private ServiceLeases.Grant grant;
    // guarded by this: while SERVING
    private AutoCloseable running;
    // guarded by this: while SERVING
    private PostgresRecoveryStore store;
    // guarded by this: local time before the last renewal that succeeded
    private Instant renewedAt;

    public ClusterNode(ClusterDatabase db, String nodeId, String service, Mode mode, ServiceLeases leases,
            Clock localClock, Service starter) {
        this(db, nodeId, service, mode, leases, localClock, starter, Runnable::run);
    }

    /**
     * As above, renewing the lease on {@code renewals} (the daemon: a thread per renewal), so that a
     * renewal the database does not answer cannot hold back fencing: {@link #tick} waits for it
     * only until the fence deadline. The default runs renewals on the ticking thread.
     */
    public ClusterNode(ClusterDatabase db, String nodeId, String service, Mode mode, ServiceLeases leases,
            Clock localClock, Service starter, Executor renewals) {
        this.renewals = renewals;
        this.db = db;
        this.nodeId = nodeId;
        this.service = service;
        this.mode = mode;
        this.leases = leases;
        this.localClock = localClock;
        this.starter = starter;
        this.fenceAfter = leases.lease().multipliedBy(2).dividedBy(3);
        this.waitGrace = leases.lease().minus(fenceAfter).dividedBy(2);
    }

    public synchronized State state() {
        return state;
    }

    /** One step of the diagram; returns the state after it. Never throws for a database failure. */
    public synchronized State tick() {
        switch (state) {
            case STANDBY, FENCED -> standby();
            case SERVING -> serving();
            case CLOSED -> {}
        }
        return state;
    }

    private void standby() {
        Instant before = localClock.instant();
        Optional<ServiceLeases.Grant> won;
        try {
            Optional<ServiceLeases.Owner> owner = leases.owner(service);
            boolean mine = owner.isPresent() && owner.get().nodeId().equals(nodeId);
            if (mine && leases.now().isBefore(owner.get().serveAfter())) {
                return; // taken over for us; the old owner's lease is still running
            }
            if (owner.isEmpty() || mine || mode == Mode.AUTO) {
                won = leases.tryAcquire(service);
            } else {
                return;
            }
        } catch (ClusterException e) {
            log.debug("node {}: standby, cluster database unreachable: {}", nodeId, e.getMessage());
            return;
        }
        if (won.isEmpty()) {
            return;
        }
        PostgresRecoveryStore s = new PostgresRecoveryStore(db, nodeId, service);
        try {
            running = starter.start(s);
        } catch (Exception e) {
            log.error("node {}: cannot start serving {}: releasing it", nodeId, service, e);
            release(won.get());
            return;
        }
        grant = won.get();
        store = s;
        renewedAt = before;
        state = State.SERVING;
        log.info("node {}: serving {} (generation {}{})", nodeId, service, grant.generation(),
                grant.previousOwner() != null && !grant.previousOwner().equals(nodeId)
                        ? ", taken over from node " + grant.previousOwner() : "");
        // starting the service took part of the lease (measured from before the acquisition):
        // renew at once rather than a tick later, when little or nothing of it may be left
        serving();
    }

    private void serving() {
        Instant before = localClock.instant();
        Instant deadline = renewedAt.plus(fenceAfter);
        ServiceLeases.Grant g = grant;
        CompletableFuture<Boolean> renewal = CompletableFuture.supplyAsync(() -> leases.renew(g), renewals);
        boolean renewed;
        try {
            // the answer is awaited until halfway between the fence deadline and the lease's end
            // at the database: a late answer still proves ownership, and the node stops before
            // the lease (and so any other node's start) whatever the database does
            long waitMs = Math.max(0, Duration.between(before, deadline.plus(waitGrace)).toMillis());
            renewed = renewal.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            renewal.cancel(true);
            fence("the cluster database did not answer its renewal within "
                    + fenceAfter.plus(waitGrace).toMillis() + " ms of the last one");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fence("its renewal was interrupted");
            return;
        } catch (ExecutionException e) {
            Instant after = localClock.instant();
            if (!after.isBefore(deadline)) {
                fence("the cluster database was unreachable for " + Duration.between(renewedAt, after).toMillis() + " ms");
            } else {
                log.warn("node {}: cannot renew the lease of {}: {}", nodeId, service, e.getCause().getMessage());
            }
            return;
        }
        if (!renewed) {
            fence("its lease was taken over or lapsed");
            return;
        }
        renewedAt = before;
        try {
            store.refresh();
        } catch (RuntimeException e) {
            log.warn("node {}: cannot read the cluster grace state: {}", nodeId, e.getMessage());
        }
    }

    private void fence(String why) {
        log.warn("node {}: fenced: stops serving {} because {}", nodeId, service, why);
        stopService();
        state = State.FENCED;
    }

    private void stopService() {
        try {
            running.close();
        } catch (Exception e) {
            log.error("node {}: stopping the service {} failed", nodeId, service, e);
        }
        running = null;
        grant = null;
        store = null;
    }

    private void release(ServiceLeases.Grant g) {
        try {
            leases.release(g);
        } catch (ClusterException e) {
            log.warn("node {}: could not release {} (its lease will lapse): {}", nodeId, service, e.getMessage());
        }
    }

    /** Stops serving (a clean stop releases the lease, so that a standby may take over at once). */
    @Override
    public synchronized void close() {
        if (state == State.SERVING) {
            ServiceLeases.Grant g = grant;
            stopService();
            release(g);
        }
        state = State.CLOSED;
    }
}

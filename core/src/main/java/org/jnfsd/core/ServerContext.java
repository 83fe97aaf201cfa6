package org.jnfsd.core;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.callback.CallbackTeardownHook;
import org.jnfsd.core.copy.Copies;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.delegation.DelegationReaper;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.delegation.GetattrConflict;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.lease.CourtesyResolver;
import org.jnfsd.core.lease.Laundromat;
import org.jnfsd.core.lease.ServerShutdown;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryRecordHook;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.ConflictResolver.Outcome;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.StateIdRegistry;
import org.jnfsd.core.state.StateService;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.state.lock.ConflictingClients;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.core.state.lock.LockTeardownHook;
import org.jnfsd.core.state.lock.LockNotifier;
import org.jnfsd.core.state.lock.ReclaimPolicy;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an operation may reach beyond its COMPOUND: configuration, exports, state tables,
 * the injected clock, and this server instance's boot identity. One per running server.
 *
 * <p>Lifecycle: it owns the executors and timers it makes (the callback queues and their timer,
 * the client teardown pool, the async-copy executor unless one is given) and {@link #close} stops
 * them; one given to a constructor stays its caller's. Client teardowns run in
 * {@link TeardownStep} order on the teardown executor ({@link ClientTeardown}), their waits bounded
 * on the callback timer: {@link ServerConfig#teardownBound} for callbacks in flight,
 * {@link #COPY_JOIN_BOUND} for copy tasks.
 */
public final class ServerContext implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerContext.class);
    /** No new delegation on a file recalled this recently. */
    static final Duration DELEGATION_RECALL_COOLDOWN = Duration.ofSeconds(5);
    /** How long a client's teardown waits for its copy tasks to stop (each stops at its next chunk), on the callback timer. */
    static final Duration COPY_JOIN_BOUND = Duration.ofSeconds(10);
    /** Threads of the teardown pool. */
    static final int TEARDOWN_THREADS = 2;
    /** How long {@link #close} waits, in all, for its executors and timers to stop. */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final ServerConfig config;
    /** Replaced whole by {@link #replaceExports} (a reload); every request reads it anew. */
    private volatile ExportTable exports;
    private final Clock clock;
    private final long bootTimeNanos;
    private final byte[] writeVerifier;
    private final SessionManager sessions;
    private final StateIdAllocator stateIdAllocator = new StateIdAllocator();
    private final OpenStates opens;
    private final CallbackService callbacks;
    private final GracePeriod grace;
    private final Copies copies;
    private final CopyEngine copyEngine = new CopyEngine(CopyEngine.DEFAULT_CHUNK);
    private final StateIdRegistry stateIds;
    private final StateService state;
    private final ClientTeardown teardown;
    private final CallbackTeardownHook callbackTeardown;
    private final CourtesyResolver courtesy;
    private final Laundromat laundromat;
    private final ServerShutdown shutdown;
    private final LockManager locks;
    private final DelegationTable delegations;
    private final DelegationReaper delegationReaper;
    private final GetattrConflict getattrConflict;
    private final ServerCounters counters;
    /** The executors and timers this context made, stopped by {@link #close}. */
    private final List<ExecutorService> owned = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A server whose clients cannot reclaim after a restart (a fresh in-memory recovery store). */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock) {
        this(config, exports, clock, new InMemoryRecoveryStore());
    }

    /**
     * A server keeping its reclaimable clients in {@code recovery}; its {@link #grace} opens a new
     * epoch there (when the listener is bound, or on first use) and starts a grace period if earlier
     * server instances left clients that may reclaim. The caller
     * keeps ownership of the store (closes it after the server).
     */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock, RecoveryStore recovery) {
        this(config, exports, clock, recovery, new ServerCounters());
    }

    /** As above, counting into {@code counters} (an embedder's own Micrometer registry). */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock, RecoveryStore recovery,
            ServerCounters counters) {
        this(config, exports, clock, recovery, counters, Threads.OWN);
    }

    /** The clients of NFSv4.0 stateids (4.0 has no SEQUENCE naming the client). */
    private final org.jnfsd.core.state.V40StateClients v40States = new org.jnfsd.core.state.V40StateClients();
    private final org.jnfsd.core.state.V40Connections v40Connections = new org.jnfsd.core.state.V40Connections();

    /** The 4.0 client last bound on each connection: who a COMPOUND naming no client comes from. */
    public org.jnfsd.core.state.V40Connections v40Connections() {
        return v40Connections;
    }

    public org.jnfsd.core.state.V40StateClients v40States() {
        return v40States;
    }

    /** NFSv4.0 open- and lock-owner sequences and replies (built with the config's lease). */
    private final org.jnfsd.core.state.V40Owners v40Owners;

    public org.jnfsd.core.state.V40Owners v40Owners() {
        return v40Owners;
    }

    /** As above, running async copies on {@code copyExecutor} (tests drive it). */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock, RecoveryStore recovery,
            ServerCounters counters, Executor copyExecutor) {
        this(config, exports, clock, recovery, counters, new Threads(copyExecutor, null, null, null));
    }

    /**
     * As above, running async copies on {@code copyExecutor} and client teardowns on
     * {@code teardownExecutor} (tests drive them; the caller owns them). Either may be null: then
     * this context makes and owns its own (a virtual thread per copy; the bounded teardown pool).
     */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock, RecoveryStore recovery,
            ServerCounters counters, Executor copyExecutor, Executor teardownExecutor) {
        this(config, exports, clock, recovery, counters, new Threads(copyExecutor, teardownExecutor, null, null));
    }

    /**
     * Where this context's work runs; each null part is made, owned and closed by the context.
     *
     * @param copies runs each async copy (own: a virtual thread per copy, bounded by the copy limits)
     * @param teardowns runs client teardowns (own: {@link #TEARDOWN_THREADS} daemon threads)
     * @param callbackQueues runs the clients' ordered callback queues (own: virtual threads)
     * @param callbackTimers times callback timeouts, retries and the teardown bounds (own: one timer)
     */
    public record Threads(Executor copies, Executor teardowns, Executor callbackQueues,
            CallbackScheduler callbackTimers) {
        /** Everything made and owned by the context. */
        public static final Threads OWN = new Threads(null, null, null, null);
    }

    /** As above, with {@code threads} given (tests drive them; the caller owns what it gives). */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock, RecoveryStore recovery,
            ServerCounters counters, Threads threads) {
        this.config = config;
        this.counters = counters;
        this.exports = exports;
        this.clock = clock;
        // distinct per server instance: a restart changes the COMMIT/WRITE verifier
        this.bootTimeNanos = clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano()
                ^ System.nanoTime();
        this.writeVerifier = ByteBuffer.allocate(8).putLong(bootTimeNanos).array();
        this.sessions = new SessionManager(config, clock);
        sessions.onClientLimit(() -> counters.increment(ServerEvent.CLIENT_REFUSED));
        // each async copy on its own virtual thread, bounded by the copy limits
        Executor copyExecutor = threads.copies() != null ? threads.copies() : own(Executors.newVirtualThreadPerTaskExecutor());
        // callback queues on virtual threads, their timeouts on one timer
        Executor callbackQueues = threads.callbackQueues() != null ? threads.callbackQueues()
                : own(Executors.newVirtualThreadPerTaskExecutor());
        CallbackScheduler callbackTimers = threads.callbackTimers() != null ? threads.callbackTimers()
                : CallbackScheduler.of(own(callbackTimer()));
        this.callbacks = new CallbackService(callbackQueues, callbackTimers, clock, callbackSettings(config));
        callbacks.addressPolicy(config.callbackAddresses());
        Executor teardownExecutor = threads.teardowns() != null ? threads.teardowns() : own(teardownPool());
        this.grace = new GracePeriod(recovery, clock, config.graceTime(), config.leaseTime());
        // CLOSE asks the lock table whether an open still has locks (built just below)
        this.opens = new OpenStates(config, clock, stateIdAllocator, (c, s) -> locks().hasLocks(c, s),
                ids -> courtesy().expireIfAllCourtesy(ids));
        // a blocking lock's reservation lasts one lease, as knfsd keeps blocked locks; another
        // client's lock in the way is expired when it is a courtesy client
        // a waiter that becomes grantable is sent CB_NOTIFY_LOCK on its client's callback channel
        this.locks = new LockManager(opens, stateIdAllocator, clock, config.leaseTime(),
                this::expireCourtesyLockHolder, lockGrace(grace, sessions),
                new LockNotifier(id -> callbacks.channel(new ClientId(id)), this::isClientLive,
                        (owner, file) -> locks().isWaiting(owner, file),
                        () -> counters.increment(ServerEvent.CB_NOTIFY_LOCK_SENT)));
        // OPEN grants delegations up to config.maxDelegations() (0: none)
        this.delegations = new DelegationTable(clock, stateIdAllocator, config.leaseTime(),
                DELEGATION_RECALL_COOLDOWN, config.maxDelegations(), counters);
        // GETATTR under another client's write delegation: CB_GETATTR, bounded by the same timers
        this.getattrConflict = new GetattrConflict(delegations, callbacks, callbackTimers, config.cbGetattrTimeout(),
                counters);
        // a finished copy stays visible to OFFLOAD_STATUS for a lease, as knfsd keeps it
        this.copies = new Copies(stateIdAllocator, copyEngine, copyExecutor, clock, callbackTimers, counters,
                new Copies.Settings(config.maxAsyncCopiesPerClient(), config.maxAsyncCopies(), config.leaseTime(),
                        COPY_JOIN_BOUND),
                id -> callbacks.channel(new ClientId(id)));
        this.stateIds = new StateIdRegistry(stateIdAllocator, List.of(opens, locks, delegations, copies));
        // the one entry operations resolve stateids through (by kind tag, one table each)
        this.state = new StateService(stateIdAllocator, opens, locks, delegations, stateIds);
        // the hooks in TeardownStep order (ClientTeardown sorts them by step anyway)
        List<ClientStateHook> hooks = new ArrayList<>(List.of(delegations, new LockTeardownHook(locks), opens, copies));
        // the kill and the wait for callbacks in flight, bounded by config.teardownBound()
        this.callbackTeardown = new CallbackTeardownHook(callbacks, config.teardownBound());
        hooks.addAll(callbackTeardown.hooks());
        hooks.add(ClientStateHook.of(TeardownStep.DROP_TABLES, opens::dropTable));
        hooks.add(new RecoveryRecordHook(grace));
        hooks.add(v40States);
        this.v40Owners = new org.jnfsd.core.state.V40Owners(clock, config.leaseTime());
        hooks.add(v40Owners);
        this.teardown = new ClientTeardown(sessions, hooks, teardownExecutor);
        this.courtesy = new CourtesyResolver(sessions, teardown);
        // near the delegation limit, holders are asked to return some (CB_RECALL_ANY); never once
        // the laundromat is closed, which server shutdown does first (row 12)
        this.delegationReaper = new DelegationReaper(delegations, callbacks, clock, DelegationReaper.DEFAULT_INTERVAL,
                counters, () -> laundromat().state() != Laundromat.State.STOPPED);
        // each run of the laundromat, after the lease sweep: one entry per state table
        // (DelegationTable counts its revocations itself)
        this.laundromat = new Laundromat(config, sessions, teardown, List.of(
                delegations::revokeExpiredRecalls,
                delegationReaper::runOnce,
                copies::reapFinished,
                () -> locks.reapExpiredWaiters(clock.instant()),
                this::expireIdleV40Owners,
                // a grace period whose time is up ends even when no request asks (4.0 clients send
                // no RECLAIM_COMPLETE): clients that did not return lose their right to reclaim
                grace::state));
        // each client's teardown started on the teardown executor; none waits for another's bound
        this.shutdown = new ServerShutdown(sessions, teardown, callbacks, callbackTimers);
        counters.gauge("jnfsd.clients", () -> sessions.clients().size());
        counters.gauge("jnfsd.reply_cache.reserved_bytes", () -> sessions.replyCache().reserved());
        counters.gauge("jnfsd.reply_cache.budget_bytes", () -> sessions.replyCache().limit());
        counters.gauge("jnfsd.callbacks.in_flight", callbacks::inFlightTotal);
        counters.gauge("jnfsd.delegations.live", delegations::liveCount);
        counters.gauge("jnfsd.locks.waiters", locks::waiterTotal);
        counters.gauge("jnfsd.copies.async.tracked", copies::size);
        counters.gauge("jnfsd.copies.async.running", copies::running);
    }

    /** Keeps {@code e} to stop it in {@link #close}. */
    private <E extends ExecutorService> E own(E e) {
        owned.add(e);
        return e;
    }

    /** The callback timeouts and retries of {@code config}. */
    static CallbackChannel.Settings callbackSettings(ServerConfig config) {
        return new CallbackChannel.Settings(config.cbTimeout(), config.cbDelayRetryInterval(),
                config.cbMaxDelayRetries(), config.cbMaxSequenceRetries(), config.handleKey());
    }

    /**
     * The client teardowns' own bounded pool: {@link #TEARDOWN_THREADS} daemon threads, none kept
     * while idle. A teardown holds a thread only while a step runs; its wait for callbacks in flight
     * holds none, so a few threads serve any number of clients.
     */
    /**
     * The laundromat's pass over NFSv4.0 owners: one idle for a lease with no open (open-owner) or
     * no lock held (lock-owner) is dropped, with its last closed stateid.
     */
    private void expireIdleV40Owners() {
        for (org.jnfsd.core.state.V40Owners.Key k : v40Owners.expireIdle(this::v40OwnerLive)) {
            v40States.forgetOwner(k);
        }
    }

    private boolean v40OwnerLive(org.jnfsd.core.state.V40Owners.Key k) {
        org.jnfsd.protocol.nfs4.io.OpenOwner owner = new org.jnfsd.protocol.nfs4.io.OpenOwner(k.clientId(), k.ownerBytes());
        return switch (k.kind()) {
            case OPEN -> opens.sharesOf(k.clientId()).stream().anyMatch(s -> s.owner().equals(owner));
            case LOCK -> locks.locksOf(k.clientId()).stream().anyMatch(v -> v.owner().equals(owner) && !v.ranges().isEmpty());
        };
    }

    private static ThreadPoolExecutor teardownPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(TEARDOWN_THREADS, TEARDOWN_THREADS, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name("jnfsd-teardown-", 0).daemon(true).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Stops every executor and timer this context made (callback queues and timers, the teardown
     * pool, the copy executor unless the caller gave one); the caller has shut the server down
     * first ({@link #shutDown}). Idempotent.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        // the connections 4.0 callbacks opened (their channels were killed by the shutdown before)
        callbacks.close();
        for (ExecutorService e : owned) {
            e.shutdownNow();
        }
        // bounded: a task that ignores its interrupt is logged and left behind, never waited for
        long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
        for (ExecutorService e : owned) {
            try {
                if (!e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("{} still running {} after close; left behind", e, CLOSE_BOUND);
                }
            } catch (InterruptedException ex) {
                log.warn("interrupted while closing {}", e, ex);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether every executor and timer this context made has terminated (after {@link #close}). */
    public boolean terminated() {
        for (ExecutorService e : owned) {
            if (!e.isTerminated()) {
                return false;
            }
        }
        return closed.get();
    }

    /** The server's counters and gauges ({@code jnfsd stats}). */
    public ServerCounters counters() {
        return counters;
    }

    /**
     * The callback timeouts' timer. Cancelled timers are removed at once: every answered callback
     * cancels its timeout, and a default executor would keep each one queued until it would have
     * fired (found by the callback benchmark: the queue grew by one entry per callback).
     */
    private static ScheduledThreadPoolExecutor callbackTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofVirtual().name("jnfsd-callback-timer").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    public ServerConfig config() {
        return config;
    }

    public ExportTable exports() {
        return exports;
    }

    /**
     * Puts a new export table in force (a reload). Client state is untouched: clients of exports
     * that keep their id and rules go on as before; a client whose rule is gone gets
     * NFS4ERR_ACCESS at its next PUTFH/PUTROOTFH, and NFS4ERR_STALE for an export id that is gone.
     * Exports whose id stays must keep their file system, which is not closed here.
     */
    /**
     * What re-reads the exports when an administrator asks ({@code jnfsd exportfs -r}): returns a
     * one-line outcome, throws with the reason when nothing changed. Set by the daemon; by default
     * there is nothing to re-read.
     */
    public interface ExportsReloader {
        String reload() throws Exception;
    }

    private volatile ExportsReloader exportsReloader = () -> {
        throw new IllegalStateException("no exports file to re-read (the exports were given in code or on the "
                + "command line)");
    };

    public void exportsReloader(ExportsReloader r) {
        this.exportsReloader = java.util.Objects.requireNonNull(r, "reloader");
    }

    public ExportsReloader exportsReloader() {
        return exportsReloader;
    }

    public void replaceExports(ExportTable table) {
        this.exports = java.util.Objects.requireNonNull(table, "table");
        new org.jnfsd.core.lease.LostAccessSweep(this).sweep(table);
    }

    public Clock clock() {
        return clock;
    }

    /** A value unique to this server instance (changes on restart). */
    public long bootId() {
        return bootTimeNanos;
    }

    /** The 8-byte WRITE/COMMIT verifier; changes when the server restarts. */
    public byte[] writeVerifier() {
        return writeVerifier.clone();
    }

    public SessionManager sessions() {
        return sessions;
    }

    /** Asynchronous copies by stateid (OFFLOAD_STATUS, OFFLOAD_CANCEL). */
    public Copies copies() {
        return copies;
    }

    public CopyEngine copyEngine() {
        return copyEngine;
    }

    public OpenStates opens() {
        return opens;
    }

    /** The clients' callback channels. */
    public CallbackService callbacks() {
        return callbacks;
    }

    /** The grace period and reclaim rules of this instance. */
    public GracePeriod grace() {
        return grace;
    }

    /** Allocates the {@code other} of every stateid of this instance, of every kind. */
    public StateIdAllocator stateIdAllocator() {
        return stateIdAllocator;
    }

    /** TEST_STATEID and FREE_STATEID, routed to the table of each stateid's kind. */
    public StateIdRegistry stateIds() {
        return stateIds;
    }

    /** The one entry operations resolve a stateid through: I/O, CLOSE, TEST/FREE_STATEID. */
    public StateService state() {
        return state;
    }

    /**
     * How long a client's teardown waits for its callbacks in flight before it force-releases them
     * and goes on ({@link ServerConfig#teardownBound}), as its callback step uses it.
     */
    public Duration teardownBound() {
        return callbackTeardown.bound();
    }

    /** The one teardown path of client records (DESTROY_CLIENTID, replacement, expiry). */
    public ClientTeardown teardown() {
        return teardown;
    }

    /**
     * Server shutdown's client part ({@link ServerShutdown}): every client torn down in the
     * declared order, keeping recovery records, then every callback channel killed; each phase
     * bounded by {@code bound}. The embedding server calls it after stopping the laundromat and
     * before closing its connections.
     */
    public ServerShutdown.Report shutDown(Duration bound) {
        return shutdown.run(bound);
    }

    /** Expires courtesy clients whose state conflicts with a request (OPEN now, LOCK next). */
    public CourtesyResolver courtesy() {
        return courtesy;
    }

    /** The lease laundromat; the embedding server starts it with a scheduler and closes it. */
    public Laundromat laundromat() {
        return laundromat;
    }

    /**
     * {@link ConflictingClients} for the lock table: expires {@code clientId} when it is a courtesy
     * client. One that is expiring but still has COMPOUNDs in flight is not yet released, so the
     * lock is denied this time and granted on the client's next attempt.
     */
    private boolean expireCourtesyLockHolder(long clientId) {
        return courtesy().expireIfAllCourtesy(Set.of(clientId)) == Outcome.EXPIRED;
    }

    /**
     * Whether {@code clientId} is a live client (ACTIVE or COURTESY): not unknown, and neither being
     * torn down nor destroyed, so a callback to it is still wanted.
     */
    private boolean isClientLive(long clientId) {
        ClientRecord c;
        try {
            c = sessions.client(clientId);
        } catch (NfsException e) {
            // STALE_CLIENTID: unhashed, so being torn down or gone
            log.trace("client {} is not live: {}", Long.toHexString(clientId), e.getMessage());
            return false;
        }
        ClientRecord.State s = c.state();
        return s == ClientRecord.State.ACTIVE || s == ClientRecord.State.COURTESY;
    }

    /** The delegations (read and write) of this server, by stateid, file and client. */
    public DelegationTable delegations() {
        return delegations;
    }

    /** Sends CB_RECALL_ANY when live delegations near the limit; run by the laundromat. */
    public DelegationReaper delegationReaper() {
        return delegationReaper;
    }

    /** GETATTR of a file under another client's write delegation (CB_GETATTR). */
    public GetattrConflict getattrConflict() {
        return getattrConflict;
    }

    public LockManager locks() {
        return locks;
    }

    /**
     * LOCK's grace rules: a non-reclaim LOCK is NFS4ERR_GRACE during grace; a reclaim outside grace
     * is NFS4ERR_NO_GRACE, and during grace is checked against the client's owner id.
     */
    private static ReclaimPolicy lockGrace(GracePeriod grace, SessionManager sessions) {
        return (clientId, reclaim) -> {
            if (!reclaim) {
                grace.checkNotInGrace("LOCK");
            } else if (!grace.inGrace()) {
                throw new NfsException(NfsStatus.NFS4ERR_NO_GRACE, "LOCK reclaim outside the grace period");
            } else {
                grace.checkReclaim(clientId, sessions.client(clientId).ownerId());
            }
        };
    }
}

package org.jnfsd.core;

import java.nio.ByteBuffer;
import java.time.Clock;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.lock.ConflictingClients;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.core.state.lock.LockWaiterListener;
import org.jnfsd.core.state.lock.ReclaimPolicy;
import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * Everything an operation may reach beyond its COMPOUND: configuration, exports, state tables,
 * the injected clock, and this server instance's boot identity. One per running server.
 */
public final class ServerContext {
    private final ServerConfig config;
    private final ExportTable exports;
    private final Clock clock;
    private final long bootTimeNanos;
    private final byte[] writeVerifier;
    private final SessionManager sessions;
    private final OpenStates opens;
    private final GracePeriod grace;
    private final LockManager locks;

    /** A server whose clients cannot reclaim after a restart (a fresh in-memory recovery store). */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock) {
        this(config, exports, clock, new InMemoryRecoveryStore());
    }

    /**
     * A server keeping its reclaimable clients in {@code recovery}; opens a new epoch there and
     * starts a grace period if earlier server instances left clients that may reclaim. The caller
     * keeps ownership of the store (closes it after the server).
     */
    public ServerContext(ServerConfig config, ExportTable exports, Clock clock, RecoveryStore recovery) {
        this.config = config;
        this.exports = exports;
        this.clock = clock;
        // distinct per server instance: a restart changes the COMMIT/WRITE verifier
        this.bootTimeNanos = clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano()
                ^ System.nanoTime();
        this.writeVerifier = ByteBuffer.allocate(8).putLong(bootTimeNanos).array();
        this.sessions = new SessionManager(config, clock);
        this.opens = new OpenStates(config, clock);
        this.grace = new GracePeriod(recovery, clock, config.graceTime());
        // a blocking lock's reservation lasts one lease, as knfsd keeps blocked locks
        this.locks = new LockManager(opens, clock, config.leaseTime(), ConflictingClients.NEVER,
                lockGrace(grace, sessions), LockWaiterListener.NONE);
    }

    public ServerConfig config() {
        return config;
    }

    public ExportTable exports() {
        return exports;
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

    public OpenStates opens() {
        return opens;
    }

    /** The grace period and reclaim rules of this instance. */
    public GracePeriod grace() {
        return grace;
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

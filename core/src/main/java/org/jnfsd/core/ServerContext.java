package org.jnfsd.core;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import org.jnfsd.core.copy.Copies;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.lease.ClientTeardown;
import org.jnfsd.core.lease.CourtesyResolver;
import org.jnfsd.core.lease.Laundromat;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryRecordHook;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.LockQuery;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.state.StateIdRegistry;

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
    private final StateIdAllocator stateIdAllocator = new StateIdAllocator();
    private final OpenStates opens;
    private final GracePeriod grace;
    private final Copies copies = new Copies();
    private final CopyEngine copyEngine = new CopyEngine(CopyEngine.DEFAULT_CHUNK);
    private final StateIdRegistry stateIds;
    private final ClientTeardown teardown;
    private final CourtesyResolver courtesy;
    private final Laundromat laundromat;

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
        this.grace = new GracePeriod(recovery, clock, config.graceTime());
        // the lock table (issue 3, locks) replaces LockQuery.NONE and adds its teardown hook below;
        // OPEN's conflicts reach the courtesy resolver, built after the teardown it needs
        this.opens = new OpenStates(config, clock, stateIdAllocator, LockQuery.NONE,
                ids -> courtesy().expireIfAllCourtesy(ids));
        // the lock, delegation and copy tables join this list (and the teardown's) as they arrive
        this.stateIds = new StateIdRegistry(stateIdAllocator, List.of(opens));
        this.teardown = new ClientTeardown(sessions, List.of(opens, new RecoveryRecordHook(grace)));
        this.courtesy = new CourtesyResolver(sessions, teardown);
        this.laundromat = new Laundromat(config, sessions, teardown);
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

    /** The one teardown path of client records (DESTROY_CLIENTID, replacement, expiry). */
    public ClientTeardown teardown() {
        return teardown;
    }

    /** Expires courtesy clients whose state conflicts with a request (OPEN now, LOCK next). */
    public CourtesyResolver courtesy() {
        return courtesy;
    }

    /** The lease laundromat; the embedding server starts it with a scheduler and closes it. */
    public Laundromat laundromat() {
        return laundromat;
    }
}

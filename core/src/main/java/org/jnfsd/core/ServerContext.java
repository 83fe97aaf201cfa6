package org.jnfsd.core;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.Executors;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.copy.Copies;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.OpenStates;

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
    private final CallbackService callbacks;
    private final GracePeriod grace;
    private final Copies copies = new Copies();
    private final CopyEngine copyEngine = new CopyEngine(CopyEngine.DEFAULT_CHUNK);

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
        // callback queues and timers on virtual threads (daemon: nothing to stop at JVM exit)
        this.callbacks = new CallbackService(Executors.newVirtualThreadPerTaskExecutor(),
                CallbackScheduler.of(Executors.newSingleThreadScheduledExecutor(
                        Thread.ofVirtual().name("jnfsd-callback-timer").factory())),
                clock, CallbackChannel.Settings.DEFAULT);
        this.grace = new GracePeriod(recovery, clock, config.graceTime());
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

    /** The clients' callback channels. */
    public CallbackService callbacks() {
        return callbacks;
    }

    /** The grace period and reclaim rules of this instance. */
    public GracePeriod grace() {
        return grace;
    }
}

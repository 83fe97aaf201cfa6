package org.jnfsd.core;

import java.nio.ByteBuffer;
import java.time.Clock;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.core.state.lock.LockManager;

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
    private final LockManager locks;

    public ServerContext(ServerConfig config, ExportTable exports, Clock clock) {
        this.config = config;
        this.exports = exports;
        this.clock = clock;
        // distinct per server instance: a restart changes the COMMIT/WRITE verifier
        this.bootTimeNanos = clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano()
                ^ System.nanoTime();
        this.writeVerifier = ByteBuffer.allocate(8).putLong(bootTimeNanos).array();
        this.sessions = new SessionManager(config, clock);
        this.opens = new OpenStates(config, clock);
        // a blocking lock's reservation lasts one lease, as knfsd keeps blocked locks
        this.locks = new LockManager(opens, clock, config.leaseTime());
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

    public LockManager locks() {
        return locks;
    }
}

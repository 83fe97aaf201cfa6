package org.jnfsd.core;

import java.time.Duration;

/**
 * Immutable server settings, built once with {@link #builder()}. Every option and its default is
 * documented here and in README.md.
 *
 * @param leaseTime the NFSv4 lease; a client silent for longer loses its lease
 * @param maxOpsPerCompound hard cap on operations in one COMPOUND before any session is known
 * @param maxRequestSize largest fore-channel request a session may negotiate (ca_maxrequestsize)
 * @param maxResponseSize largest fore-channel reply a session may negotiate (ca_maxresponsesize)
 * @param maxResponseSizeCached largest reply a session's reply cache keeps
 * @param maxSessionOperations most operations per COMPOUND a session may negotiate
 * @param maxSlots most fore-channel slots per session
 * @param maxRead largest READ, in bytes; maxWrite likewise
 * @param graceTime how long the grace period after a restart lasts at most (default: the lease)
 * @param maxCourtesyClients most clients kept as courtesy clients (lease lapsed, state kept); the
 *     oldest beyond it are expired
 * @param maxCourtesyTime how long a courtesy client keeps its state at most (knfsd: 24 h)
 * @param maxDelegations most delegations (read and write) granted at once, server-wide; 0 grants none. Default
 *     {@link #DEFAULT_MAX_DELEGATIONS}. Near it (90 %) the laundromat asks holders to return some
 *     with CB_RECALL_ANY.
 * @param writeDelegations whether OPEN for write may get a write delegation (within
 *     maxDelegations); on by default
 * @param cbGetattrTimeout how long a GETATTR of another client waits for the CB_GETATTR reply of a
 *     write delegation's holder before recalling it and answering NFS4ERR_DELAY (knfsd: ~30 ms)
 * @param asyncCopyThreshold a COPY of more bytes than this runs asynchronously (with CB_OFFLOAD)
 *     when the client allows it and its callback channel is up; default 16 MiB
 * @param maxAsyncCopiesPerClient most asynchronous copies running at once for one client (default 4)
 * @param maxAsyncCopies most asynchronous copies running at once on the server (default 64)
 * @param teardownBound how long a client's teardown waits for its callbacks in flight to be
 *     released before it force-releases them and goes on (default 10 s)
 * @param cbTimeout how long one callback attempt may take, backchannel slot wait included (default 10 s)
 * @param cbDelayRetryInterval how long a callback answered NFS4ERR_DELAY waits before it is sent
 *     again (default 500 ms)
 * @param cbMaxDelayRetries how many times a callback answered NFS4ERR_DELAY is sent again (default 5)
 * @param cbMaxSequenceRetries how many times a callback answered NFS4ERR_BADSLOT or NFS4ERR_SEQ_MISORDERED
 *     is sent again (default 4)
 * @param serverName the server owner's major id and the server scope (RFC 8881 §2.10.5): null for
 *     this host's name; the nodes of a cluster share one, so that a client of a node that failed
 *     treats the node that took over as the same server and reclaims there
 * @param limits what one peer, or many, may hold of the server (issue 16): client records,
 *     connections, idle time
 * @param minorVersions the NFSv4 minor versions served (default 0, 1 and 2); a COMPOUND of another
 *     gets NFS4ERR_MINOR_VERS_MISMATCH ({@code jnfsd serve --versions})
 * @param handleKey seals the file handles given to clients (default: random per process,
 *     {@link org.jnfsd.core.fs.HandleKey#processKey}; the daemon keeps one in its state directory)
 * @param callbackAddresses where NFSv4.0 callback connections may be opened (default: only the
 *     address the client connects from; {@code jnfsd serve --callback-addresses})
 */
public record ServerConfig(
        Duration leaseTime,
        int maxOpsPerCompound,
        int maxRequestSize,
        int maxResponseSize,
        int maxResponseSizeCached,
        int maxSessionOperations,
        int maxSlots,
        int maxRead,
        int maxWrite,
        Duration graceTime,
        int maxCourtesyClients,
        Duration maxCourtesyTime,
        int maxDelegations,
        boolean writeDelegations,
        Duration cbGetattrTimeout,
        long asyncCopyThreshold,
        int maxAsyncCopiesPerClient,
        int maxAsyncCopies,
        Duration teardownBound,
        Duration cbTimeout,
        Duration cbDelayRetryInterval,
        int cbMaxDelayRetries,
        int cbMaxSequenceRetries,
        String serverName,
        Limits limits,
        java.util.Set<Integer> minorVersions,
        org.jnfsd.core.fs.HandleKey handleKey,
        org.jnfsd.core.callback.CallbackAddressPolicy callbackAddresses) {

    /** The minor versions this server can serve: 4.0, 4.1 and 4.2. */
    public static final java.util.Set<Integer> ALL_MINOR_VERSIONS = java.util.Set.of(0, 1, 2);

    public ServerConfig {
        minorVersions = java.util.Set.copyOf(minorVersions);
        if (minorVersions.isEmpty() || !ALL_MINOR_VERSIONS.containsAll(minorVersions)) {
            throw new IllegalArgumentException("minor versions " + minorVersions + ": a non-empty subset of "
                    + ALL_MINOR_VERSIONS);
        }
    }

    /**
     * 10,000 delegations: knfsd allows 4 per MiB of memory (about 1.5 KiB each in the worst case, 6 %
     * of memory), which is 10,000 on a 2.5 GiB machine; a jnfsd delegation (three map entries and a
     * stateid) takes well under 1 KiB of heap, so this stays below 10 MiB.
     */
    public static final int DEFAULT_MAX_DELEGATIONS = 10_000;

    public static Builder builder() {
        return new Builder();
    }

    /** Default {@link Limits#maxClients}: a client record without state takes about 1 KiB. */
    public static final int DEFAULT_MAX_CLIENTS = 8192;
    /** Default {@link Limits#unconfirmedClientTimeout}: CREATE_SESSION follows EXCHANGE_ID at once. */
    public static final Duration DEFAULT_UNCONFIRMED_CLIENT_TIMEOUT = Duration.ofSeconds(15);
    /** Default {@link Limits#maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = org.jnfsd.rpc.RpcServer.DEFAULT_MAX_CONNECTIONS;
    /** Default {@link Limits#maxConnectionsPerAddress}: a NAT of many clients still fits; one peer cannot take all. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = org.jnfsd.rpc.RpcServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    /** Default {@link Limits#idleConnectionTimeout}: knfsd closes idle connections after about 6 minutes. */
    public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofMinutes(6);

    /**
     * Limits on what peers may hold of the server; each refusal is counted and logged rate-limited.
     *
     * @param maxClients client records (unconfirmed, active and courtesy) at once; at the limit,
     *     EXCHANGE_ID first expires the oldest courtesy client, then unconfirmed records older than
     *     {@code unconfirmedClientTimeout}, and answers NFS4ERR_DELAY when neither frees a record
     * @param unconfirmedClientTimeout an EXCHANGE_ID that no CREATE_SESSION confirms within this
     *     (or the lease, when shorter) expires
     * @param maxConnections TCP connections open at once; one more is closed as it is accepted
     * @param maxConnectionsPerAddress TCP connections open at once from one client address
     * @param idleConnectionTimeout a connection no session uses that reads and writes nothing for this
     *     long is closed; null: never
     * @param replyCacheBytes the server-wide budget of the session reply caches (slots × cached
     *     reply size, reserved at CREATE_SESSION, which negotiates down when it is short); 0: 1/16 of
     *     the maximum heap ({@code ReplyCacheBudget#defaultLimit})
     */
    public record Limits(int maxClients, Duration unconfirmedClientTimeout, int maxConnections,
            int maxConnectionsPerAddress, Duration idleConnectionTimeout, long replyCacheBytes) {
        public Limits {
            if (replyCacheBytes < 0) {
                throw new IllegalArgumentException("replyCacheBytes " + replyCacheBytes);
            }
            if (maxClients < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1 || unconfirmedClientTimeout.isNegative()
                    || unconfirmedClientTimeout.isZero()
                    || idleConnectionTimeout != null && (idleConnectionTimeout.isNegative() || idleConnectionTimeout.isZero())) {
                throw new IllegalArgumentException("maxClients " + maxClients + ", unconfirmedClientTimeout "
                        + unconfirmedClientTimeout + ", maxConnections " + maxConnections + ", maxConnectionsPerAddress "
                        + maxConnectionsPerAddress + ", idleConnectionTimeout " + idleConnectionTimeout);
            }
        }
    }

    public static ServerConfig defaults() {
        return builder().build();
    }

    public static final class Builder {
        private Duration leaseTime = Duration.ofSeconds(90);
        private org.jnfsd.core.fs.HandleKey handleKey = org.jnfsd.core.fs.HandleKey.processKey();
        private int maxOpsPerCompound = 128;
        private int maxRequestSize = 1024 * 1024 + 64 * 1024;
        private int maxResponseSize = 1024 * 1024 + 64 * 1024;
        private int maxResponseSizeCached = 64 * 1024;
        private int maxSessionOperations = 64;
        private int maxSlots = 64;
        private int maxRead = 1024 * 1024;
        private int maxWrite = 1024 * 1024;
        private Duration graceTime;
        private int maxCourtesyClients = 1024;
        private Duration maxCourtesyTime = Duration.ofHours(24);
        private int maxDelegations = DEFAULT_MAX_DELEGATIONS;
        private boolean writeDelegations = true;
        private Duration cbGetattrTimeout = Duration.ofMillis(30);
        private long asyncCopyThreshold = 16L << 20;
        private int maxAsyncCopiesPerClient = 4;
        private int maxAsyncCopies = 64;
        private Duration teardownBound = Duration.ofSeconds(10);
        private Duration cbTimeout = Duration.ofSeconds(10);
        private Duration cbDelayRetryInterval = Duration.ofMillis(500);
        private int cbMaxDelayRetries = 5;
        private int cbMaxSequenceRetries = 4;
        private String serverName;
        private int maxClients = DEFAULT_MAX_CLIENTS;
        private Duration unconfirmedClientTimeout = DEFAULT_UNCONFIRMED_CLIENT_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration idleConnectionTimeout = DEFAULT_IDLE_CONNECTION_TIMEOUT;
        private long replyCacheBytes;
        private java.util.Set<Integer> minorVersions = ALL_MINOR_VERSIONS;
        private org.jnfsd.core.callback.CallbackAddressPolicy callbackAddresses =
                org.jnfsd.core.callback.CallbackAddressPolicy.CLIENT_ONLY;

        /** Where 4.0 callback connections may go; default {@code CallbackAddressPolicy.CLIENT_ONLY}. */
        public Builder callbackAddresses(org.jnfsd.core.callback.CallbackAddressPolicy policy) {
            this.callbackAddresses = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder leaseTime(Duration d) {
            this.leaseTime = d;
            return this;
        }

        public Builder maxOpsPerCompound(int n) {
            this.maxOpsPerCompound = n;
            return this;
        }

        public Builder maxRequestSize(int n) {
            this.maxRequestSize = n;
            return this;
        }

        public Builder maxResponseSize(int n) {
            this.maxResponseSize = n;
            return this;
        }

        public Builder maxResponseSizeCached(int n) {
            this.maxResponseSizeCached = n;
            return this;
        }

        public Builder maxSessionOperations(int n) {
            this.maxSessionOperations = n;
            return this;
        }

        public Builder maxSlots(int n) {
            this.maxSlots = n;
            return this;
        }

        public Builder maxRead(int n) {
            this.maxRead = n;
            return this;
        }

        public Builder maxWrite(int n) {
            this.maxWrite = n;
            return this;
        }

        /** The grace period after a restart; unset, it is the lease time. */
        public Builder graceTime(Duration d) {
            this.graceTime = d;
            return this;
        }

        public Builder maxCourtesyClients(int n) {
            this.maxCourtesyClients = n;
            return this;
        }

        public Builder maxCourtesyTime(Duration d) {
            this.maxCourtesyTime = d;
            return this;
        }

        /** Most read delegations at once; 0 grants none (default {@link #DEFAULT_MAX_DELEGATIONS}). */
        public Builder maxDelegations(int n) {
            this.maxDelegations = n;
            return this;
        }

        /** Whether OPEN for write may get a write delegation; true by default. */
        public Builder writeDelegations(boolean on) {
            this.writeDelegations = on;
            return this;
        }

        /** How long a GETATTR waits for a write delegation holder's CB_GETATTR reply (default 30 ms). */
        public Builder cbGetattrTimeout(Duration d) {
            this.cbGetattrTimeout = d;
            return this;
        }

        /** COPYs of more bytes run asynchronously (when the client allows it and can be called back). */
        public Builder asyncCopyThreshold(long bytes) {
            this.asyncCopyThreshold = bytes;
            return this;
        }

        /** Most async copies running at once per client; beyond it COPY answers NFS4ERR_DELAY. */
        public Builder maxAsyncCopiesPerClient(int n) {
            this.maxAsyncCopiesPerClient = n;
            return this;
        }

        /** Most async copies running at once on the server; beyond it COPY answers NFS4ERR_DELAY. */
        public Builder maxAsyncCopies(int n) {
            this.maxAsyncCopies = n;
            return this;
        }

        /** How long a client's teardown waits for its callbacks in flight (default 10 s). */
        public Builder teardownBound(Duration d) {
            this.teardownBound = positive(d, "teardownBound");
            return this;
        }

        /** How long a callback waits for its reply (default 10 s). */
        public Builder cbTimeout(Duration d) {
            this.cbTimeout = positive(d, "cbTimeout");
            return this;
        }

        /** How long a callback answered NFS4ERR_DELAY waits before it is sent again (default 500 ms). */
        public Builder cbDelayRetryInterval(Duration d) {
            this.cbDelayRetryInterval = positive(d, "cbDelayRetryInterval");
            return this;
        }

        /** How many times a callback answered NFS4ERR_DELAY is sent again (default 5). */
        public Builder cbMaxDelayRetries(int n) {
            this.cbMaxDelayRetries = notNegative(n, "cbMaxDelayRetries");
            return this;
        }

        /** How many times a callback whose CB_SEQUENCE failed is sent again (default 4). */
        public Builder cbMaxSequenceRetries(int n) {
            this.cbMaxSequenceRetries = notNegative(n, "cbMaxSequenceRetries");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + d);
            }
            return d;
        }

        private static int notNegative(int n, String name) {
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative, not " + n);
            }
            return n;
        }

        /** The server owner and scope; null (the default) for this host's name. */
        public Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        /** See {@link Limits#maxClients}. */
        public Builder maxClients(int n) {
            this.maxClients = n;
            return this;
        }

        /** See {@link Limits#unconfirmedClientTimeout}. */
        public Builder unconfirmedClientTimeout(Duration d) {
            this.unconfirmedClientTimeout = d;
            return this;
        }

        /** See {@link Limits#maxConnections}. */
        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        /** See {@link Limits#maxConnectionsPerAddress}. */
        public Builder maxConnectionsPerAddress(int n) {
            this.maxConnectionsPerAddress = n;
            return this;
        }

        /** See {@link Limits#idleConnectionTimeout}; null: never. */
        public Builder idleConnectionTimeout(Duration d) {
            this.idleConnectionTimeout = d;
            return this;
        }

        /** See {@link Limits#replyCacheBytes}; 0 (default): 1/16 of the maximum heap. */
        public Builder replyCacheBytes(long bytes) {
            this.replyCacheBytes = bytes;
            return this;
        }

        /** The minor versions served (a non-empty subset of 0, 1, 2; default all three). */
        public Builder minorVersions(java.util.Set<Integer> versions) {
            this.minorVersions = versions;
            return this;
        }

        /** The key that seals file handles ({@link org.jnfsd.core.fs.HandleKey#loadOrCreate} keeps one on disk). */
        public Builder handleKey(org.jnfsd.core.fs.HandleKey key) {
            this.handleKey = java.util.Objects.requireNonNull(key);
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(leaseTime, maxOpsPerCompound, maxRequestSize, maxResponseSize,
                    maxResponseSizeCached, maxSessionOperations, maxSlots, maxRead, maxWrite,
                    graceTime != null ? graceTime : leaseTime, maxCourtesyClients, maxCourtesyTime, maxDelegations,
                    writeDelegations, cbGetattrTimeout,
                    asyncCopyThreshold, maxAsyncCopiesPerClient, maxAsyncCopies, teardownBound, cbTimeout,
                    cbDelayRetryInterval, cbMaxDelayRetries, cbMaxSequenceRetries, serverName,
                    new Limits(maxClients, unconfirmedClientTimeout, maxConnections, maxConnectionsPerAddress,
                            idleConnectionTimeout, replyCacheBytes), minorVersions, handleKey, callbackAddresses);
        }
    }
}

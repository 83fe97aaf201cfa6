package org.jnfsd.daemon;

import java.time.Duration;
import org.jnfsd.core.ServerConfig;
import picocli.CommandLine.Option;

/**
 * What {@code jnfsd serve} lets one peer hold: client records, connections, idle time and the
 * reply caches' memory (issue 16). Each refusal these limits cause is counted and logged at most
 * once per interval by the server; here they are only read from the command line.
 */
final class LimitOptions {
    @Option(names = "--max-clients", defaultValue = "" + ServerConfig.DEFAULT_MAX_CLIENTS,
            description = "Most client records at once; beyond it EXCHANGE_ID expires the oldest courtesy client or "
                    + "a stale unconfirmed one, else answers NFS4ERR_DELAY (default: ${DEFAULT-VALUE}).")
    int maxClients;

    @Option(names = "--unconfirmed-client-seconds", defaultValue = "15",
            description = "A client record no CREATE_SESSION confirms within this many seconds (or the lease, when "
                    + "shorter) expires (default: ${DEFAULT-VALUE}).")
    int unconfirmedClientSeconds;

    @Option(names = "--max-connections", defaultValue = "" + ServerConfig.DEFAULT_MAX_CONNECTIONS,
            description = "Most TCP connections open at once; one more is closed as it is accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", defaultValue = "" + ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "Most TCP connections open at once from one client address (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--idle-connection-seconds", defaultValue = "360",
            description = "A connection no session uses that sends and receives nothing for this many seconds is "
                    + "closed; 0: never (default: ${DEFAULT-VALUE}).")
    int idleConnectionSeconds;

    @Option(names = "--reply-cache-mib", defaultValue = "0",
            description = "Budget of the session reply caches, in MiB; CREATE_SESSION hands out fewer slots (or "
                    + "smaller cached replies) when it is short; 0: 1/16 of the maximum heap (default: ${DEFAULT-VALUE}).")
    long replyCacheMib;

    /** Puts these limits into {@code config}. */
    void applyTo(ServerConfig.Builder config) {
        config.maxClients(maxClients)
                .unconfirmedClientTimeout(Duration.ofSeconds(unconfirmedClientSeconds))
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .idleConnectionTimeout(idleConnectionSeconds == 0 ? null : Duration.ofSeconds(idleConnectionSeconds))
                .replyCacheBytes(replyCacheMib << 20);
    }
}

package org.jnfsd.daemon;

import java.nio.file.Path;
import java.time.Duration;
import org.jnfsd.cluster.ClusterDatabase;
import org.jnfsd.cluster.ClusterException;
import org.jnfsd.cluster.Credentials;
import picocli.CommandLine.Option;

/**
 * Where the cluster is and who this node is in it: the options {@code jnfsd serve} (cluster mode)
 * and {@code jnfsd takeover} share. The database's user and password come from a file, never the
 * command line, where {@code ps} would show them.
 */
final class ClusterOptions {
    /** The service every node serves unless told otherwise: one service per cluster by default. */
    static final String DEFAULT_SERVICE = "nfs";

    @Option(names = "--node-id", paramLabel = "<id>",
            description = "This node's name in the cluster, unique among its nodes (e.g. the host name).")
    String nodeId;

    @Option(names = "--cluster", paramLabel = "<jdbc-url>",
            description = "The cluster's PostgreSQL database (jdbc:postgresql://host:port/db): shared client records, "
                    + "the cluster grace period and the service's owner under a lease. Without it jnfsd is one "
                    + "node with its SQLite recovery store.")
    String url;

    @Option(names = "--cluster-credentials", paramLabel = "<file>",
            description = "A file with user= and password= lines for --cluster, readable by its owner only (mode 600).")
    Path credentials;

    @Option(names = "--service", paramLabel = "<name>", defaultValue = DEFAULT_SERVICE,
            description = "The service (export and service address) this node may serve; every node of the pair "
                    + "names the same one (default: ${DEFAULT-VALUE}).")
    String service;

    @Option(names = "--cluster-lease", paramLabel = "<seconds>", defaultValue = "20",
            description = "The service owner's lease: renewed every quarter of it; the owner stops serving when it "
                    + "could not renew for two thirds of it; another node takes over only after all of it "
                    + "(default: ${DEFAULT-VALUE}).")
    int leaseSeconds;

    /** Whether any cluster option was given (then all of them must be). */
    boolean any() {
        return nodeId != null || url != null || credentials != null;
    }

    Duration lease() {
        return Duration.ofSeconds(leaseSeconds);
    }

    /** Checks that the options name a cluster and a node; a readable message otherwise. */
    void check() throws DaemonException {
        if (nodeId == null || url == null || credentials == null) {
            throw new DaemonException("a cluster node needs --node-id, --cluster and --cluster-credentials");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new DaemonException("--cluster " + url + ": not a jdbc:postgresql:// URL");
        }
        if (nodeId.isBlank() || service.isBlank()) {
            throw new DaemonException("--node-id and --service must not be empty");
        }
        if (leaseSeconds < 1) {
            throw new DaemonException("--cluster-lease " + leaseSeconds + ": at least 1 second");
        }
    }

    /** Opens the database (schema migrated) with the credentials file's user and password. */
    ClusterDatabase open() throws DaemonException {
        check();
        Credentials c;
        try {
            c = Credentials.read(credentials);
        } catch (IllegalArgumentException e) {
            throw new DaemonException(e.getMessage());
        }
        try {
            return ClusterDatabase.open(url, c);
        } catch (ClusterException e) {
            throw new DaemonException(e.getMessage() + (e.getCause() != null ? ": " + rootMessage(e) : ""));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}

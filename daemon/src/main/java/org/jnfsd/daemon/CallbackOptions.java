package org.jnfsd.daemon;

import java.time.Duration;
import org.jnfsd.core.ServerConfig;
import picocli.CommandLine.Option;

/**
 * How long {@code jnfsd serve} waits on a client's callbacks: each attempt, the retries after
 * NFS4ERR_DELAY or a sequence error, and the bound on a teardown's wait for callbacks in flight.
 */
final class CallbackOptions {
    @Option(names = "--teardown-bound-ms", defaultValue = "10000",
            description = "How long a client's teardown waits for its callbacks in flight before it force-releases them and goes on, in ms (default: ${DEFAULT-VALUE}).")
    long teardownBoundMs;

    @Option(names = "--cb-timeout-ms", defaultValue = "10000",
            description = "How long one callback attempt may take, backchannel slot wait included, in ms (default: ${DEFAULT-VALUE}).")
    long cbTimeoutMs;

    @Option(names = "--cb-delay-retry-ms", defaultValue = "500",
            description = "How long a callback answered NFS4ERR_DELAY waits before it is sent again, in ms (default: ${DEFAULT-VALUE}).")
    long cbDelayRetryMs;

    @Option(names = "--cb-max-delay-retries", defaultValue = "5",
            description = "How many times a callback answered NFS4ERR_DELAY is sent again (default: ${DEFAULT-VALUE}).")
    int cbMaxDelayRetries;

    @Option(names = "--cb-max-sequence-retries", defaultValue = "4",
            description = "How many times a callback answered NFS4ERR_BADSLOT or NFS4ERR_SEQ_MISORDERED is sent again (default: ${DEFAULT-VALUE}).")
    int cbMaxSequenceRetries;

    /** Puts these timeouts and retry counts into {@code config}. */
    void applyTo(ServerConfig.Builder config) {
        config.teardownBound(Duration.ofMillis(teardownBoundMs))
                .cbTimeout(Duration.ofMillis(cbTimeoutMs))
                .cbDelayRetryInterval(Duration.ofMillis(cbDelayRetryMs))
                .cbMaxDelayRetries(cbMaxDelayRetries)
                .cbMaxSequenceRetries(cbMaxSequenceRetries);
    }
}

package org.jnfsd.rpc;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * What every connection of one server or client shares: limits, the programs served, the
 * executor starting one virtual thread per call, and the count of calls in flight.
 *
 * @param maxRecordSize the largest record accepted; a bigger one closes the connection
 * @param maxCallsPerConnection once this many calls of one connection are executing, the
 *     connection stops reading until one finishes (back pressure; the peer's socket buffers fill)
 */
record ConnectionConfig(int maxRecordSize, int maxCallsPerConnection, CallDispatcher dispatcher, Executor executor,
        InFlightCalls inFlight) {
    /** Default for {@link #maxCallsPerConnection}: well above the slot tables clients use (Linux: 64). */
    static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 256;

    ConnectionConfig {
        if (maxRecordSize <= 0 || maxCallsPerConnection <= 0) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + ", maxCallsPerConnection "
                    + maxCallsPerConnection);
        }
    }

    /** An executor starting one named virtual thread per task. */
    static Executor virtualThreadExecutor(String namePrefix) {
        ThreadFactory factory = Thread.ofVirtual().name(namePrefix, 0).factory();
        return task -> factory.newThread(task).start();
    }
}

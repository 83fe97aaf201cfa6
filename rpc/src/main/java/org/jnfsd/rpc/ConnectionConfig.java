package org.jnfsd.rpc;

import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * What every connection of one server or client shares: limits, the programs served, the
 * executor starting one virtual thread per call, and the count of calls in flight.
 *
 * @param maxRecordSize the largest record accepted; a bigger one closes the connection
 * @param maxCallsPerConnection once this many calls of one connection are executing, the
 *     connection stops reading until one finishes (back pressure; the peer's socket buffers fill)
 * @param writeBufferHighWaterMark once this many bytes of replies wait unsent, the connection stops
 *     reading until they drain to half of it (back pressure on a peer that does not read its
 *     replies). It must exceed the largest reply, or every large reply (a 1 MiB READ) pauses
 *     reading until it is on the wire and calls are served one at a time; see
 *     {@link #defaultWriteBufferHighWaterMark}.
 * @param maxHeldBytes once the records of executing calls and the replies not yet on the wire of one
 *     connection exceed this many bytes, it stops reading until they are back to half
 *     ({@link ConnectionBackPressure}); default the write-buffer high-water mark
 * @param drainTimeout a connection that stopped reading for held bytes and writes none of them for
 *     this long is closed
 * @param guards the server-wide memory budget every connection charges, the idle timeout and
 *     where refusals go
 */
record ConnectionConfig(int maxRecordSize, int maxCallsPerConnection, int writeBufferHighWaterMark,
        CallDispatcher dispatcher, Executor executor, InFlightCalls inFlight, long maxHeldBytes,
        Duration drainTimeout, PeerGuards guards) {
    /** Default for {@link #maxCallsPerConnection}: well above the slot tables clients use (Linux: 64). */
    static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 256;
    MemoryBudget budget() {
        return guards.budget();
    }

    /** Default for {@link #drainTimeout}. */
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);

    ConnectionConfig {
        if (maxRecordSize <= 0 || maxCallsPerConnection <= 0 || writeBufferHighWaterMark < 2 || maxHeldBytes < 2
                || drainTimeout.isNegative() || drainTimeout.isZero()) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + ", maxCallsPerConnection "
                    + maxCallsPerConnection + ", writeBufferHighWaterMark " + writeBufferHighWaterMark
                    + ", maxHeldBytes " + maxHeldBytes + ", drainTimeout " + drainTimeout);
        }
    }

    /** Held bytes bounded by the high-water mark, the default drain timeout, a budget of its own. */
    ConnectionConfig(int maxRecordSize, int maxCallsPerConnection, int writeBufferHighWaterMark,
            CallDispatcher dispatcher, Executor executor, InFlightCalls inFlight) {
        this(maxRecordSize, maxCallsPerConnection, writeBufferHighWaterMark, dispatcher, executor, inFlight,
                writeBufferHighWaterMark, DEFAULT_DRAIN_TIMEOUT, PeerGuards.unlimited());
    }

    /** With the {@linkplain #defaultWriteBufferHighWaterMark default high-water mark} for {@code maxRecordSize}. */
    ConnectionConfig(int maxRecordSize, int maxCallsPerConnection, CallDispatcher dispatcher, Executor executor,
            InFlightCalls inFlight) {
        this(maxRecordSize, maxCallsPerConnection, defaultWriteBufferHighWaterMark(maxRecordSize), dispatcher,
                executor, inFlight);
    }

    /**
     * Two records of the maximum size (capped at {@code Integer.MAX_VALUE}): a full-size reply and
     * the next one can wait unsent without pausing reading, and reading resumes once at most one
     * record's worth is left. Netty's own default (64 KiB) is smaller than a 1 MiB READ reply.
     */
    static int defaultWriteBufferHighWaterMark(int maxRecordSize) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxRecordSize);
    }

    /** Low mark half the high one: reading resumes once half of the allowed backlog has drained. */
    WriteBufferWaterMark writeBufferWaterMark() {
        return new WriteBufferWaterMark(writeBufferHighWaterMark / 2, writeBufferHighWaterMark);
    }

    /** An executor starting one named virtual thread per task. */
    static Executor virtualThreadExecutor(String namePrefix) {
        ThreadFactory factory = Thread.ofVirtual().name(namePrefix, 0).factory();
        return task -> factory.newThread(task).start();
    }
}

package org.jnfsd.bench;

import java.io.IOException;
import java.util.Locale;

/**
 * One kind of load. {@link #setup} runs once before the clock starts (creating the files the
 * workload needs); then every worker (a virtual thread, {@code inflight} per connection) gets its
 * own {@link Worker} and calls {@link Worker#op} in a loop. One call is one counted operation.
 */
interface Workload {
    /** The workloads of issue 5, by their command-line name. */
    enum Kind {
        NULL, GETATTR, LOOKUP, CREATE, READ, WRITE, OPENCLOSE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }

        /** Whether MiB/s is the figure that matters (and the loopback bandwidth its ceiling). */
        boolean isData() {
            return this == READ || this == WRITE;
        }
    }

    /** Prepares the files on the server through {@code session}; runs once, before the clock. */
    void setup(BenchSession session) throws IOException;

    /**
     * A worker's own state (its offsets, open files).
     *
     * @param index distinct among all workers of the run
     */
    Worker worker(BenchSession session, int index) throws IOException;

    interface Worker {
        /** Runs one operation; returns the payload bytes it moved (0 for metadata). */
        long op() throws IOException;

        /** Releases what the worker holds on the server (open files); runs after the clock stops. */
        default void finish() throws IOException {
        }
    }
}

package org.jnfsd.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) used so far by another process, read from Linux's
 * {@code /proc/<pid>/stat} (clock ticks, assumed 100 per second, the kernel's USER_HZ on every
 * mainstream architecture). Lets the harness report each server's CPU per operation, a figure that
 * survives a noisy shared machine better than operations per second.
 */
@FunctionalInterface
interface ProcessCpu {
    /** Not watching any process: {@link #nanos} is -1. */
    ProcessCpu NONE = () -> -1;

    /** CPU nanoseconds used so far, or -1 when unknown. */
    long nanos();

    static ProcessCpu of(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        return () -> {
            try {
                String s = Files.readString(stat);
                // fields after the command name, which is in parentheses and may hold spaces
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                return ticks * 10_000_000L;
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + stat, e);
            }
        };
    }
}

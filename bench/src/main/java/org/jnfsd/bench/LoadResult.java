package org.jnfsd.bench;

import java.util.Locale;
import org.jnfsd.server.admin.Json;

/**
 * What one load run measured, over the measured interval only (after the warm-up).
 *
 * @param ops operations completed
 * @param errors operations that failed (any NFS error status, RPC failure or timeout)
 * @param seconds length of the measured interval
 * @param bytes payload bytes moved (READ data returned, WRITE data accepted)
 * @param p50Micros median latency of one operation, microseconds (p99, p999 likewise)
 * @param cpuCores this process's CPU time over the interval divided by its length: how many cores
 *     the load generator used (the server's too when it runs in the same JVM)
 * @param serverCpuCores the server process's CPU time over the interval divided by its length
 *     (NaN when its process was not given)
 * @param firstError the first failure's message, or null
 */
record LoadResult(String workload, int connections, int inflight, long ops, long errors, double seconds,
        long bytes, double p50Micros, double p99Micros, double p999Micros, double maxMicros, double cpuCores,
        double serverCpuCores, String firstError) {

    double opsPerSecond() {
        return ops / seconds;
    }

    double mibPerSecond() {
        return bytes / seconds / (1024.0 * 1024.0);
    }

    /** Server CPU microseconds per operation (NaN when not measured). */
    double serverMicrosPerOp() {
        return ops == 0 ? Double.NaN : serverCpuCores * seconds * 1e6 / ops;
    }

    String summary() {
        return String.format(Locale.ROOT,
                "%-9s %10.0f ops/s %9.1f MiB/s  p50 %8.0f us  p99 %8.0f us  p999 %8.0f us  errors %d  cpu %.2f cores%s",
                workload, opsPerSecond(), mibPerSecond(), p50Micros, p99Micros, p999Micros, errors, cpuCores,
                Double.isNaN(serverCpuCores) ? "" : String.format(Locale.ROOT, "  server cpu %.2f cores, %.0f us/op",
                        serverCpuCores, serverMicrosPerOp()))
                + (firstError == null ? "" : "  first error: " + firstError);
    }

    String toJson() {
        return String.format(Locale.ROOT,
                "{\"workload\":\"%s\",\"connections\":%d,\"inflight\":%d,\"ops\":%d,\"errors\":%d,\"seconds\":%.3f,"
                        + "\"bytes\":%d,\"opsPerSecond\":%.1f,\"mibPerSecond\":%.2f,\"p50Micros\":%.1f,"
                        + "\"p99Micros\":%.1f,\"p999Micros\":%.1f,\"maxMicros\":%.1f,\"cpuCores\":%.3f,\"serverCpuCores\":%s,"
                        + "\"serverCpuMicrosPerOp\":%s,\"firstError\":%s}",
                workload, connections, inflight, ops, errors, seconds, bytes, opsPerSecond(), mibPerSecond(),
                p50Micros, p99Micros, p999Micros, maxMicros, cpuCores, number(serverCpuCores), number(serverMicrosPerOp()),
                firstError == null ? "null" : Json.quote(firstError));
    }

    static String number(double d) {
        return Double.isNaN(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
    }
}

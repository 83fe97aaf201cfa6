package org.jnfsd.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;

/**
 * Per-operation meters: {@code jnfsd.ops} counts every executed operation by {@code op} and
 * {@code status} (so errors by NFS status are {@code status != "OK"}), {@code jnfsd.op.duration}
 * times it by {@code op} with a histogram (Prometheus: {@code jnfsd_ops_total},
 * {@code jnfsd_op_duration_seconds_bucket}). Meters are registered on first use, so a scrape lists
 * only the operations clients sent. Thread-safe: the maps are concurrent and Micrometer meters are.
 */
public final class OpMetrics {
    /** The meter names. */
    public static final String OPS = "jnfsd.ops";
    public static final String DURATION = "jnfsd.op.duration";

    private final MeterRegistry registry;
    private final Map<Opcode, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Opcode, Map<NfsStatus, Counter>> counts = new ConcurrentHashMap<>();

    OpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry's monotonic time in nanoseconds, to pass back to {@link #record}. */
    public long startNanos() {
        return registry.config().clock().monotonicTime();
    }

    /** Counts one {@code op} that ended with {@code status}, begun at {@code startNanos}. */
    public void record(Opcode op, NfsStatus status, long startNanos) {
        long took = registry.config().clock().monotonicTime() - startNanos;
        timers.computeIfAbsent(op, this::timer).record(took, TimeUnit.NANOSECONDS);
        counts.computeIfAbsent(op, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> Counter.builder(OPS).tag("op", op.name()).tag("status", label(s))
                        .description("NFS operations executed, by operation and result").register(registry))
                .increment();
    }

    /** How many {@code op}s ended with {@code status}. */
    public long count(Opcode op, NfsStatus status) {
        Counter c = counts.getOrDefault(op, Map.of()).get(status);
        return c == null ? 0 : (long) c.count();
    }

    /** Counts by operation and status, of the operations seen so far. */
    public Map<Opcode, Map<NfsStatus, Long>> counts() {
        Map<Opcode, Map<NfsStatus, Long>> out = new EnumMap<>(Opcode.class);
        counts.forEach((op, byStatus) -> {
            Map<NfsStatus, Long> m = new EnumMap<>(NfsStatus.class);
            byStatus.forEach((s, c) -> m.put(s, (long) c.count()));
            out.put(op, m);
        });
        return out;
    }

    /** One operation's totals, as {@code jnfsd stats --ops} prints them. */
    public record OpSummary(String op, long calls, long errors, long meanNanos) {}

    /** Every operation seen so far, in opcode order: calls, calls that did not end NFS4_OK, mean time. */
    public List<OpSummary> summary() {
        List<OpSummary> out = new ArrayList<>();
        counts().forEach((op, byStatus) -> {
            long calls = byStatus.values().stream().mapToLong(Long::longValue).sum();
            long errors = calls - byStatus.getOrDefault(NfsStatus.NFS4_OK, 0L);
            Timer t = timers.get(op);
            long mean = t == null ? 0 : (long) t.mean(TimeUnit.NANOSECONDS);
            out.add(new OpSummary(op.name(), calls, errors, mean));
        });
        return out;
    }

    /** "OK" for NFS4_OK, else the status without its NFS4ERR_ prefix ("NOENT"). */
    public static String label(NfsStatus s) {
        String n = s.name();
        if (s == NfsStatus.NFS4_OK) {
            return "OK";
        }
        return n.startsWith("NFS4ERR_") ? n.substring("NFS4ERR_".length()) : n;
    }

    private Timer timer(Opcode op) {
        return Timer.builder(DURATION).tag("op", op.name())
                .description("Time to execute one NFS operation, reply encoding included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }
}

package org.jnfsd.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One server's counters and gauges, kept in a Micrometer {@link MeterRegistry} (a private
 * {@link SimpleMeterRegistry} unless the embedder passes its own, e.g. a Prometheus one).
 *
 * <p>Counters count {@link ServerEvent}s; gauges report a live figure (callbacks in flight, async
 * copies running) read from the component that owns it. {@link #snapshot()} is what
 * {@code jnfsd stats} prints. Thread-safe: Micrometer meters are, and the counter map is filled
 * once in the constructor.
 */
public final class ServerCounters {
    private final MeterRegistry registry;
    private final Map<ServerEvent, Counter> counters = new EnumMap<>(ServerEvent.class);
    private final OpMetrics ops;

    /** Counters in a private registry. */
    public ServerCounters() {
        this(new SimpleMeterRegistry());
    }

    public ServerCounters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (ServerEvent e : ServerEvent.values()) {
            counters.put(e, Counter.builder(e.meterName()).register(registry));
        }
        this.ops = new OpMetrics(registry);
    }

    /** The per-operation counts and latencies. */
    public OpMetrics ops() {
        return ops;
    }

    /** Counts one {@code event}. */
    public void increment(ServerEvent event) {
        counters.get(event).increment();
    }

    /** Counts {@code n} {@code event}s at once (n ≥ 0). */
    public void add(ServerEvent event, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        if (n > 0) {
            counters.get(event).increment(n);
        }
    }

    /** How many {@code event}s were counted. */
    public long count(ServerEvent event) {
        return (long) counters.get(event).count();
    }

    /**
     * Registers a gauge named {@code name} reading {@code value} on each snapshot. The supplier must
     * be cheap, thread-safe and never block.
     */
    public void gauge(String name, Supplier<Number> value) {
        Gauge.builder(name, value).register(registry);
    }

    /** The registry, for an embedder that exports the meters elsewhere. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Every counter and gauge by name, sorted by name; counters as whole numbers. A tagged meter is
     * named {@code name{k=v,...}} (tags in key order), e.g. {@code jnfsd.ops{op=READ,status=OK}};
     * timers are left out (their counts are {@code jnfsd.ops}).
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            String name = m.getId().getName();
            if (!name.startsWith("jnfsd.")) {
                continue;
            }
            List<Tag> tags = m.getId().getTags();
            if (!tags.isEmpty()) {
                StringJoiner j = new StringJoiner(",", name + "{", "}");
                tags.forEach(t -> j.add(t.getKey() + "=" + t.getValue()));
                name = j.toString();
            }
            if (m instanceof Counter c) {
                out.put(name, (long) c.count());
            } else if (m instanceof Gauge g) {
                out.put(name, (long) g.value());
            }
        }
        return out;
    }
}

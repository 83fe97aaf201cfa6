package org.jnfsd.rpc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Rate-limited logging for what a peer can trigger (malformed records, refused connections,
 * forged handles, ...): at most one line per kind per interval, and the first line after a quiet
 * spell says how many of that kind were suppressed since the last one. A peer can therefore make
 * the server write at most (kinds × 1) lines per interval, whatever it sends.
 *
 * <p>{@link #warn}/{@link #info} use one process-wide instance with a 60 s interval on
 * {@link System#nanoTime}; tests make their own with a manual clock. Thread-safe: one
 * compare-and-set per kind decides which thread writes the line.
 */
public final class PeerLog {
    /** Default interval between two lines of one kind. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    private static final PeerLog DEFAULT = new PeerLog(DEFAULT_INTERVAL, System::nanoTime);

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    public PeerLog(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The process-wide instance. */
    public static PeerLog shared() {
        return DEFAULT;
    }

    /** Logs at WARN through the shared instance, rate-limited by {@code kind}. */
    public static void warn(Logger log, String kind, String format, Object... args) {
        DEFAULT.log(log, Level.WARN, kind, format, args);
    }

    /** Logs at ERROR through the shared instance, rate-limited by {@code kind}. */
    public static void error(Logger log, String kind, String format, Object... args) {
        DEFAULT.log(log, Level.ERROR, kind, format, args);
    }

    /** Logs at INFO through the shared instance, rate-limited by {@code kind}. */
    public static void info(Logger log, String kind, String format, Object... args) {
        DEFAULT.log(log, Level.INFO, kind, format, args);
    }

    public enum Level { INFO, WARN, ERROR }

    /**
     * Logs the line if none of {@code kind} was logged in the last interval, with " (N more like
     * this suppressed)" appended when some were; otherwise only counts it.
     *
     * @return true if the line was written
     */
    public boolean log(Logger log, Level level, String kind, String format, Object... args) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = nanoClock.getAsLong();
        long last = w.lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos || !w.lastLogged.compareAndSet(last, now)) {
            w.suppressed.incrementAndGet();
            return false;
        }
        long suppressed = w.suppressed.getAndSet(0);
        String line = suppressed == 0 ? format : format + " ({} more like this suppressed in the last {})";
        Object[] all = args;
        if (suppressed > 0) {
            // the counts go before a trailing throwable, which SLF4J prints as the stack
            int at = args.length > 0 && args[args.length - 1] instanceof Throwable ? args.length - 1 : args.length;
            all = new Object[args.length + 2];
            System.arraycopy(args, 0, all, 0, at);
            all[at] = suppressed;
            all[at + 1] = Duration.ofNanos(intervalNanos);
            System.arraycopy(args, at, all, at + 2, args.length - at);
        }
        switch (level) {
            case ERROR -> log.error(line, all);
            case WARN -> log.warn(line, all);
            case INFO -> log.info(line, all);
        }
        return true;
    }

    /** Lines of {@code kind} suppressed since its last written line. */
    public long suppressed(String kind) {
        Window w = windows.get(kind);
        return w == null ? 0 : w.suppressed.get();
    }

    private static final class Window {
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }
}

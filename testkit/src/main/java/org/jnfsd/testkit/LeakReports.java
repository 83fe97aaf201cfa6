package org.jnfsd.testkit;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The leak reports of every {@link FailingLeakDetector} of this JVM, kept until a
 * {@link #collect()} hands them to a test. Thread-safe.
 */
public final class LeakReports {
    private static final List<FailingLeakDetector<?>> DETECTORS = new CopyOnWriteArrayList<>();
    private static final List<String> REPORTS = new ArrayList<>();
    /** Collections tried before giving up on a cycle that processes the sentinel reference. */
    private static final int MAX_GC_ROUNDS = 5;

    private LeakReports() {
    }

    static void register(FailingLeakDetector<?> d) {
        DETECTORS.add(d);
    }

    static synchronized void add(String report) {
        REPORTS.add(report);
    }

    /** Whether Netty uses {@link FailingLeakDetector} in this JVM (a detector was created). */
    public static boolean installed() {
        return !DETECTORS.isEmpty();
    }

    /**
     * Runs the collector until the references it cleared have been enqueued, has every detector
     * report its queued leaks, and returns (and forgets) every report since the last call.
     */
    public static List<String> collect() {
        if (installed()) {
            collectGarbage();
            for (FailingLeakDetector<?> d : DETECTORS) {
                d.poll();
            }
        }
        synchronized (LeakReports.class) {
            List<String> out = List.copyOf(REPORTS);
            REPORTS.clear();
            return out;
        }
    }

    /**
     * A full collection; returns once a sentinel weak reference cleared by it is enqueued, so the
     * detectors' own references cleared in the same cycle are enqueued too.
     */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        try {
            for (int i = 0; i < MAX_GC_ROUNDS; i++) {
                System.gc();
                if (queue.remove(200) != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }
}

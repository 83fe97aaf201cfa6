package org.jnfsd.testkit;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector, installed in tests with {@code -Dio.netty.customResourceLeakDetector}:
 * every leak it reports is also kept in {@link LeakReports}, where {@link LeakCheckExtension}
 * turns it into a test failure. It reports even when logging at ERROR is off.
 */
public class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
    private final String resourceType;

    /** The constructor Netty's factory looks for. */
    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        this.resourceType = resourceType.getSimpleName();
        LeakReports.register(this);
    }

    /** The obsolete constructor Netty's factory tries first. */
    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String type, String records) {
        super.reportTracedLeak(type, records);
        LeakReports.add("LEAK: " + type + ".release() was not called before it was garbage-collected." + records);
    }

    @Override
    protected void reportUntracedLeak(String type) {
        super.reportUntracedLeak(type);
        LeakReports.add("LEAK: " + type + ".release() was not called before it was garbage-collected (no record).");
    }

    /** Makes the detector report what the collector has found since the last call. */
    @SuppressWarnings("unchecked")
    void poll() {
        Object probe = new Object();
        // track() reports the queued leaks first; the probe's own tracker is closed at once
        var tracker = track((T) probe);
        if (tracker != null) {
            tracker.close((T) probe);
        }
    }

    @Override
    public String toString() {
        return "FailingLeakDetector[" + resourceType + "]";
    }
}

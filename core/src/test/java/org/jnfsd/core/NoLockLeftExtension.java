package org.jnfsd.core;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test after which its thread still holds a {@link java.util.concurrent.locks.Lock} (any
 * ownable synchronizer: {@code ReentrantLock}, a write lock). The state tables take their locks
 * in try/finally blocks on the caller's thread; a lock an operation forgot to release stays held by
 * the test thread (re-entrantly, so the test itself cannot see it) until the test ends, where this
 * sees it. Auto-detected (META-INF/services; {@code junit-platform.properties} switches detection
 * on, also under PIT, which does not read surefire's configuration).
 */
public final class NoLockLeftExtension implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        Thread t = Thread.currentThread();
        ThreadInfo info = ManagementFactory.getThreadMXBean()
                .getThreadInfo(new long[] {t.threadId()}, false, true)[0];
        LockInfo[] held = info == null ? new LockInfo[0] : info.getLockedSynchronizers();
        if (held.length > 0) {
            throw new AssertionError(context.getDisplayName() + " left " + held.length + " lock(s) held by "
                    + t.getName() + ": " + Arrays.toString(held));
        }
    }
}

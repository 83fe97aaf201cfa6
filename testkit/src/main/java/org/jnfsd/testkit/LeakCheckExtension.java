package org.jnfsd.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer (or other reference-counted object) while
 * it ran or when it finished: after its last test, a full collection runs and every leak detector
 * reports what it finds (see {@link LeakReports}). Registered for every test class by JUnit's
 * extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled}, set in the
 * root pom), active where the surefire argLine installs {@link FailingLeakDetector}.
 *
 * <p>A leak is found when its buffer is collected, which may be during a later class of the same
 * JVM: the report's access records (paranoid level) name where the buffer was touched.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = LeakReports.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak report(s) during or after "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}

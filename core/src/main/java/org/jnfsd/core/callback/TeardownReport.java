package org.jnfsd.core.callback;

import java.util.List;

/**
 * What {@link CallbackChannel#shutdownAsync} found: how many callbacks it killed, and the ones that
 * were still stuck in a step when the bound passed (kind, subject, age, step), which it stopped
 * counting so teardown could complete.
 */
public record TeardownReport(int killed, List<String> forceReleased) {
    public TeardownReport {
        forceReleased = List.copyOf(forceReleased);
    }
}

package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the race tests and soaks do around a channel, the way production does it, and what they
 * check after it. A helper here must never do production's work: it kills the channel and drops
 * the client's table the moment the teardown stage completes, chained on the stage, before anything
 * runs the client's queue, so a teardown that does not wait lets a late release hit the dropped
 * table.
 */
final class ChannelChecks {
    private ChannelChecks() {
    }

    /**
     * Starts the channel's teardown and chains {@code dropTable} on its stage: the table is dropped
     * in whichever thread completes the stage, at that moment (production's DROP_TABLES follows the
     * wait at once).
     */
    static CompletableFuture<TeardownReport> killThenDrop(CallbackChannel channel, Duration bound, Runnable dropTable) {
        CompletableFuture<TeardownReport> td = channel.shutdownAsync(bound).toCompletableFuture();
        td.thenRun(dropTable);
        return td;
    }

    /** The stage is complete without the bound having been reached: nothing was force-released. */
    static TeardownReport assertCompletedWithoutTheBound(CompletableFuture<TeardownReport> td) {
        assertThat(td).as("teardown completes without waiting for its bound").isDone();
        TeardownReport r = td.join();
        assertThat(r.forceReleased()).as("nothing force-released").isEmpty();
        return r;
    }

    /** Once every callback ended: no step threw, no backchannel slot is held, nothing is in flight. */
    static void assertQuiet(CallbackChannel channel) {
        assertThat(channel.stepFailures()).as("%s: exceptions thrown by callback steps", channel).isZero();
        assertThat(channel.slotsInUse()).as("%s: backchannel slots in use", channel).isZero();
        assertThat(channel.inFlight()).as("%s: callbacks in flight", channel).isZero();
    }

    /**
     * A callback's steps ran as the rules say: done once, released once, its running token cleared,
     * and (unless the test let the bound force-release it) its release ran before its channel's
     * teardown stage completed.
     */
    static void assertEndedOnce(TestCallback cb, boolean lateReleaseAllowed) {
        assertThat(cb.releases).as("%s released exactly once", cb).isEqualTo(1);
        assertThat(cb.outcomes).as("%s done exactly once", cb).hasSize(1);
        assertThat(cb.isRunning()).as("%s token cleared", cb).isFalse();
        if (!lateReleaseAllowed) {
            assertThat(cb.releasesAfterTeardown).as("%s released after the teardown stage completed", cb).isZero();
        }
    }
}

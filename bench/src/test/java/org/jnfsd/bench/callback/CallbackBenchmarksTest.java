package org.jnfsd.bench.callback;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.TeardownReport;
import org.junit.jupiter.api.Test;

/** Every callback benchmark method runs once (no timing): the rigs work and every callback is released. */
class CallbackBenchmarksTest {
    @Test
    void queueBenchmark_eachMethodOnce_everyCallbackReleased() throws Exception {
        CallbackQueueBenchmark b = new CallbackQueueBenchmark();
        CallbackQueueBenchmark.Inline inline = new CallbackQueueBenchmark.Inline();
        inline.setUp();
        try {
            assertThat(b.roundTripInline(inline)).isEqualTo(1);
            assertThat(b.roundTripInline(inline)).isEqualTo(2);
            assertThat(inline.channel.inFlight()).isZero();
        } finally {
            inline.tearDown();
        }

        CallbackQueueBenchmark.Clients clients = new CallbackQueueBenchmark.Clients();
        clients.clients = 3;
        clients.setUp();
        try {
            b.roundTripVirtualThreads(clients); // throws unless all BATCH releases ran
            b.roundTripVirtualThreads(clients);
            assertThat(clients.channels).allSatisfy(ch -> assertThat(ch.state()).isEqualTo(CallbackChannel.State.UP));
            CallbackRig.await(() -> b.inFlightGauge(clients) == 0, "counts lowered after the releases");
        } finally {
            clients.tearDown();
        }

        CallbackQueueBenchmark.Killed killed = new CallbackQueueBenchmark.Killed();
        killed.setUp();
        try {
            assertThat(b.submitRefused(killed)).isEqualTo(CallbackChannel.Submitted.REFUSED);
            assertThat(killed.released).isEqualTo(1);
            assertThat(killed.channel.inFlight()).isZero();
        } finally {
            killed.tearDown();
        }
    }

    @Test
    void teardownBenchmark_answeredAndKilled_allReleasedNoneForced() throws Exception {
        for (int slots : new int[] {1, 1000}) {
            CallbackTeardownBenchmark b = new CallbackTeardownBenchmark();
            b.slots = slots;
            b.setUpTrial();
            try {
                TeardownReport answered = b.runOnce(true);
                assertThat(answered.forceReleased()).isEmpty();
                TeardownReport killed = b.runOnce(false);
                assertThat(killed.killed()).as("slots %d", slots).isEqualTo(CallbackTeardownBenchmark.IN_FLIGHT);
                assertThat(killed.forceReleased()).isEmpty();
            } finally {
                b.tearDownTrial();
            }
        }
    }
}

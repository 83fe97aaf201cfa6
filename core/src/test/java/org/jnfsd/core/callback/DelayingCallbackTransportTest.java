package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code jnfsd inject callback-delay}: a call leaves only once the injected scheduler passed the delay. */
class DelayingCallbackTransportTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final TestTransport wire = new TestTransport();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final DelayingCallbackTransport transport = new DelayingCallbackTransport(wire, delay::get, scheduler);

    @Test
    void noDelay_callLeavesAtOnce() {
        transport.nullAsync();
        assertThat(wire.calls).hasSize(1);
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void delay_callLeavesAfterIt_andItsReplyCompletesTheCaller() {
        delay.set(Duration.ofMillis(500));
        CompletionStage<Void> probe = transport.nullAsync();

        scheduler.advance(Duration.ofMillis(499));
        assertThat(wire.calls).as("not sent before the delay").isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(wire.calls).hasSize(1);
        assertThat(probe.toCompletableFuture()).isNotDone();

        wire.calls.getFirst().reply.complete(null);
        assertThat(probe.toCompletableFuture()).isCompleted();
    }

    @Test
    void delayedCall_failure_reachesTheCaller() {
        delay.set(Duration.ofSeconds(1));
        CompletionStage<Void> probe = transport.nullAsync();
        scheduler.advance(Duration.ofSeconds(1));
        wire.close();
        assertThat(probe.toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void delayChangedBackToZero_laterCallsLeaveAtOnce() {
        delay.set(Duration.ofSeconds(1));
        transport.nullAsync();
        delay.set(Duration.ZERO);
        transport.nullAsync();
        assertThat(wire.calls).hasSize(1);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(wire.calls).hasSize(2);
    }
}

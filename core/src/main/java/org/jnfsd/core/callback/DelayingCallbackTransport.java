package org.jnfsd.core.callback;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;

/**
 * A transport whose calls leave only after the delay {@code delay} gives at the time of the call
 * (zero: at once): {@code jnfsd inject callback-delay}, a slow client's backchannel played on
 * demand. The delay runs on the injected scheduler, so tests drive it with a manual one; the call
 * then goes through the wrapped transport unchanged. Thread-safe when the delegate is.
 */
final class DelayingCallbackTransport implements CallbackTransport {
    private final CallbackTransport delegate;
    private final Supplier<Duration> delay;
    private final CallbackScheduler scheduler;

    DelayingCallbackTransport(CallbackTransport delegate, Supplier<Duration> delay, CallbackScheduler scheduler) {
        this.delegate = delegate;
        this.delay = delay;
        this.scheduler = scheduler;
    }

    @Override
    public CompletionStage<Void> nullAsync() {
        return delayed(delegate::nullAsync);
    }

    @Override
    public CompletionStage<CbCompoundResult> compoundAsync(CbCompoundArgs args) {
        return delayed(() -> delegate.compoundAsync(args));
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> CompletionStage<T> delayed(Supplier<CompletionStage<T>> call) {
        Duration d = delay.get();
        if (d.isZero() || d.isNegative()) {
            return call.get();
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        scheduler.schedule(() -> call.get().whenComplete((value, failure) -> {
            if (failure != null) {
                out.completeExceptionally(failure);
            } else {
                out.complete(value);
            }
        }), d);
        return out;
    }
}

package org.jnfsd.core.copy;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CB_OFFLOAD (RFC 7862 §16.1) of one finished {@link AsyncCopy}, queued on its client's callback
 * channel by {@link Copies} when the copy ends. It carries the write result (bytes copied, UNSTABLE4,
 * the server's write verifier) or, when nothing could be copied, the error. It holds the copy until
 * {@link #release}, which moves it NOTIFYING → COMPLETED so the laundromat may reap it later (row
 * 20c: never while the callback is in flight). A CB_OFFLOAD that fails is not retried: the client
 * learns the result from OFFLOAD_STATUS, which keeps answering for the copy's keep time.
 */
final class OffloadCallback extends Callback {
    private static final Logger log = LoggerFactory.getLogger(OffloadCallback.class);

    /** Cleared once, by release(); prepare/done read it on the channel's queue before that. */
    private final AtomicReference<AsyncCopy> copy;
    private final AtomicBoolean counted = new AtomicBoolean();
    private final String subject;
    private final ServerCounters counters;
    private final Clock clock;

    OffloadCallback(AsyncCopy copy, ServerCounters counters, Clock clock) {
        super("CB_OFFLOAD");
        this.copy = new AtomicReference<>(copy);
        this.subject = copy.stateId().key().toString();
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public String subject() {
        return "copy " + subject;
    }

    @Override
    protected Optional<CbArgs> prepare() {
        AsyncCopy c = copy.get();
        if (c == null || c.state() != CopyState.NOTIFYING) {
            return Optional.empty();
        }
        return Optional.of(argsOf(c));
    }

    /** CB_OFFLOAD's arguments for a copy that ended with {@link AsyncCopy#result}. */
    static CbOffloadArgs argsOf(AsyncCopy c) {
        AsyncCopy.Request r = c.request();
        NfsStatus st = c.result();
        if (st.isOk()) {
            return new CbOffloadArgs(r.dstFh(), c.stateId(), st, Optional.empty(), c.copied(),
                    StableHow.UNSTABLE4.code(), r.verifier());
        }
        return CbOffloadArgs.failed(r.dstFh(), c.stateId(), st, c.copied());
    }

    @Override
    protected void sent() {
        if (counted.compareAndSet(false, true)) {
            counters.increment(ServerEvent.CB_OFFLOAD_SENT);
        }
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        switch (outcome) {
            case CallbackOutcome.Replied r when r.result() != null && !r.result().status().isOk() ->
                log.info("CB_OFFLOAD of {} answered {}", subject, r.result().status());
            case CallbackOutcome.Failed f ->
                log.info("CB_OFFLOAD of {} not delivered ({}: {}); the client can ask OFFLOAD_STATUS", subject,
                        f.reason(), f.detail());
            default -> log.debug("CB_OFFLOAD of {}: {}", subject, outcome);
        }
    }

    @Override
    protected void release() {
        AsyncCopy c = copy.getAndSet(null);
        if (c == null) {
            throw new IllegalStateException("CB_OFFLOAD of " + subject + " released twice");
        }
        if (!c.offloadReleased(clock.instant())) {
            throw new IllegalStateException("CB_OFFLOAD released for " + c + ", which was not NOTIFYING");
        }
    }

    /** Whether release() has run. */
    boolean released() {
        return copy.get() == null;
    }
}

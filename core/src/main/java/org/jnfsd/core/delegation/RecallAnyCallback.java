package org.jnfsd.core.delegation;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CB_RECALL_ANY (RFC 8881 §20.6) to one client, queued by {@link DelegationReaper}: "return read
 * delegations until you keep at most {@code keep}". It refers to the client by id only, never to
 * its record, so it cannot keep the client alive (row 13). {@link #prepare} sends nothing when the
 * client no longer holds delegations. {@link #release} tells the reaper exactly once (a second
 * release throws), which lets the next CB_RECALL_ANY to that client go.
 */
final class RecallAnyCallback extends Callback {
    private static final Logger log = LoggerFactory.getLogger(RecallAnyCallback.class);

    private final long clientId;
    private final int keep;
    private final DelegationReaper reaper;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean counted = new AtomicBoolean();

    RecallAnyCallback(long clientId, int keep, DelegationReaper reaper) {
        super("CB_RECALL_ANY");
        this.clientId = clientId;
        this.keep = keep;
        this.reaper = reaper;
    }

    @Override
    public String subject() {
        return "client " + Long.toHexString(clientId) + ", keep " + keep;
    }

    @Override
    protected Optional<CbArgs> prepare() {
        if (released.get() || !reaper.holds(clientId)) {
            return Optional.empty();
        }
        return Optional.of(new CbRecallAnyArgs(keep, new int[] {1 << CbRecallAnyArgs.TYPE_RDATA_DLG}));
    }

    /** The channel calls {@link #sent} on every send (DELAY retries too); it counts once. */
    @Override
    protected void sent() {
        if (counted.compareAndSet(false, true)) {
            reaper.sent();
        }
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        if (outcome instanceof CallbackOutcome.Failed f && f.reason() != CallbackOutcome.Reason.KILLED) {
            log.info("CB_RECALL_ANY to {} failed ({}: {}); sent again on a later pass if still needed", subject(),
                    f.reason(), f.detail());
        }
    }

    @Override
    protected void release() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("CB_RECALL_ANY of " + subject() + " released twice");
        }
        reaper.released(clientId);
    }

    /** Whether release() has run. */
    boolean isReleased() {
        return released.get();
    }
}

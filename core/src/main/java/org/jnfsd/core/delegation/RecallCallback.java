package org.jnfsd.core.delegation;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CB_RECALL of one delegation, queued (never awaited) by the request that conflicts with it.
 * {@link #prepare} sends nothing when the delegation is no longer RECALLING (row 06 of
 * callback-races.md: returned or revoked meanwhile). An unanswered or failed recall is left to the
 * lease: {@link DelegationTable#revokeExpiredRecalls} revokes it. {@link #release} drops the
 * reference to the delegation exactly once (rule 5): {@link #delegation} is cleared by a CAS.
 */
public final class RecallCallback extends Callback {
    private static final Logger log = LoggerFactory.getLogger(RecallCallback.class);

    /** Cleared once, by release(); prepare/done read it on the channel's queue before that. */
    private final AtomicReference<Delegation> delegation;
    private final String subject;

    public RecallCallback(Delegation delegation) {
        super("CB_RECALL");
        this.delegation = new AtomicReference<>(delegation);
        this.subject = delegation.stateId().key() + " on " + delegation.file();
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    protected Optional<CbArgs> prepare() {
        Delegation d = delegation.get();
        if (d == null || d.state() != Delegation.State.RECALLING) {
            return Optional.empty();
        }
        return Optional.of(new CbRecallArgs(d.stateId(), false, d.file().toBytes()));
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        if (outcome instanceof CallbackOutcome.Failed f) {
            log.warn("CB_RECALL of {} failed ({}: {}); revoked after a lease unless returned", subject,
                    f.reason(), f.detail());
        }
    }

    @Override
    protected void release() {
        if (delegation.getAndSet(null) == null) {
            throw new IllegalStateException("CB_RECALL of " + subject + " released twice");
        }
    }

    /** Whether release() has run. */
    boolean released() {
        return delegation.get() == null;
    }
}

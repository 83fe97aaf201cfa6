package org.jnfsd.core.delegation;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.rpc.PeerLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CB_RECALL of one delegation, queued (never awaited) by the request that conflicts with it.
 * {@link #prepare} sends nothing when the delegation is no longer RECALLING (row 06 of
 * callback-races.md: returned or revoked meanwhile). {@link #sent} counts the CB_RECALL once.
 *
 * <p>How a recall ends (docs/design-notes.md, "A recall that fails"): the client answered with an
 * error other than NFS4ERR_DELAY (BAD_STATEID, BADHANDLE, ...): it will never return the delegation,
 * so {@link #done} revokes it at once ({@link DelegationTable#recallRefused}). Not answered
 * (channel DOWN, timeout, transport failure, DELAY retries exhausted): the client may still hold it
 * and be unable to hear us, so it keeps its lease's worth of time, as RFC 8881 §10.2 and knfsd do:
 * {@link DelegationTable#revokeExpiredRecalls} revokes it then. Channel KILLED: the client is being
 * torn down, which revokes it. {@link #release} drops the reference to the delegation exactly once
 * (rule 5): {@link #delegation} is cleared by a CAS.
 */
public final class RecallCallback extends Callback {
    private static final Logger log = LoggerFactory.getLogger(RecallCallback.class);

    /** Cleared once, by release(); prepare/done read it on the channel's queue before that. */
    private final AtomicReference<Delegation> delegation;
    private final DelegationTable table;
    private final String subject;
    /** Set by the first {@link #sent}. */
    private final AtomicBoolean counted = new AtomicBoolean();

    /** The recall of {@code delegation}, which {@code table} holds (it counts and revokes). */
    public RecallCallback(Delegation delegation, DelegationTable table) {
        super("CB_RECALL");
        this.delegation = new AtomicReference<>(delegation);
        this.table = table;
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

    /** A resend after NFS4ERR_DELAY only while the delegation is still being recalled (row 06). */
    @Override
    protected boolean stillNeeded() {
        Delegation d = delegation.get();
        return d != null && d.state() == Delegation.State.RECALLING;
    }

    /** The channel calls {@link #sent} on every send (DELAY retries too); the recall counts once. */
    @Override
    protected void sent() {
        if (counted.compareAndSet(false, true)) {
            table.recallSent();
        }
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        switch (outcome) {
            case CallbackOutcome.Failed f when f.reason() == CallbackOutcome.Reason.KILLED ->
                    log.debug("CB_RECALL of {} killed with its channel (client teardown revokes it)", subject);
            case CallbackOutcome.Failed f -> {
                Delegation d = delegation.get();
                if (d != null) {
                    table.recallOutcome(d, false, false); // sent again over the client's next back channel
                }
                PeerLog.warn(log, "recall-failed", "CB_RECALL of {} failed ({}: {}); sent again over a new back"
                        + " channel, revoked after a lease unless returned", subject, f.reason(), f.detail());
            }
            case CallbackOutcome.Replied r when r.result() != null && !r.result().status().isOk() -> {
                Delegation d = delegation.get();
                if (d != null && table.recallRefused(d, r.result().status())) {
                    PeerLog.warn(log, "recall-refused", "CB_RECALL of {} answered {}: revoked now", subject,
                            r.result().status());
                }
            }
            case CallbackOutcome.Replied r -> {
                Delegation d = delegation.get();
                if (d != null) {
                    table.recallOutcome(d, true, false);
                }
            }
            case CallbackOutcome.Skipped s -> {
                Delegation d = delegation.get();
                if (d != null) {
                    table.recallOutcome(d, true, false);
                }
            }
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

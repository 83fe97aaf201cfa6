package org.jnfsd.core.state.lock;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CB_NOTIFY_LOCK (RFC 8881 §20.11) telling one waiting lock owner that the range it asked for
 * with READW_LT/WRITEW_LT is free: queued by {@link LockNotifier}, never awaited. {@link #prepare}
 * sends nothing when the waiter is gone meanwhile (it took the lock by polling, its reservation
 * ended, or its client is being torn down: teardown drops the client's waiters before it kills the
 * channel). A lost notification costs the client only its polling interval, so nothing is retried.
 * {@link #release} drops the reference to the owner exactly once (rule 5): {@link #owner} is
 * cleared by a CAS.
 */
final class NotifyLockCallback extends Callback {
    private static final Logger log = LoggerFactory.getLogger(NotifyLockCallback.class);

    /** Cleared once, by release(); prepare/done read it on the channel's queue before that. */
    private final AtomicReference<OpenOwner> owner;
    private final FileHandle file;
    private final LockNotifier.StillWanted stillWanted;
    private final Runnable onFirstSend;
    /** Set by the first {@link #sent}: a retry is not counted again. */
    private final AtomicBoolean counted = new AtomicBoolean();
    private final String subject;

    /**
     * @param stillWanted asked in prepare whether the owner still waits on the file
     * @param onFirstSend run once, when the operation is first handed to the transport (counts
     *     CB_NOTIFY_LOCK_SENT, as CB_OFFLOAD counts its sends)
     */
    NotifyLockCallback(OpenOwner owner, FileHandle file,
            LockNotifier.StillWanted stillWanted, Runnable onFirstSend) {
        super("CB_NOTIFY_LOCK");
        this.owner = new AtomicReference<>(owner);
        this.file = file;
        this.stillWanted = stillWanted;
        this.onFirstSend = onFirstSend;
        this.subject = owner + " on " + file;
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    protected Optional<CbArgs> prepare() {
        OpenOwner o = owner.get();
        if (o == null || !stillWanted.test(o, file)) {
            log.debug("CB_NOTIFY_LOCK for {} not sent: no longer waiting", subject);
            return Optional.empty();
        }
        return Optional.of(new CbNotifyLockArgs(file.toBytes(), o.clientId(), o.owner()));
    }

    @Override
    protected void sent() {
        if (counted.compareAndSet(false, true)) {
            onFirstSend.run();
        }
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        switch (outcome) {
            case CallbackOutcome.Replied r -> {
                if (r.result() != null && r.result().status() != NfsStatus.NFS4_OK) {
                    log.debug("CB_NOTIFY_LOCK for {} answered {}", subject, r.result().status());
                }
            }
            case CallbackOutcome.Skipped s -> log.trace("CB_NOTIFY_LOCK for {} skipped", subject);
            case CallbackOutcome.Failed f -> log.info("CB_NOTIFY_LOCK for {} failed ({}: {}); the client polls instead",
                    subject, f.reason(), f.detail());
        }
    }

    @Override
    protected void release() {
        if (owner.getAndSet(null) == null) {
            throw new IllegalStateException("CB_NOTIFY_LOCK for " + subject + " released twice");
        }
    }

    /** Whether release() has run. */
    boolean released() {
        return owner.get() == null;
    }
}

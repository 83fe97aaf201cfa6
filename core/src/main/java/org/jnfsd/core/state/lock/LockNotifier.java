package org.jnfsd.core.state.lock;

import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LockWaiterListener} that sends CB_NOTIFY_LOCK (RFC 8881 §20.11, knfsd
 * {@code nfsd4_cb_notify_lock}): when a queued READW_LT/WRITEW_LT becomes grantable, queues a
 * {@link NotifyLockCallback} on the waiting client's callback channel and returns at once. The
 * client then retries its LOCK.
 *
 * <p>Nothing is sent to a client that is not live (being torn down, destroyed, unknown) or has no
 * callback channel; both are checked again on the channel's queue just before sending, together
 * with the waiter still being queued, so a client torn down meanwhile gets nothing. Stateless and
 * thread-safe: {@link #eligible} runs on the request thread that freed the range, with no lock
 * manager lock held, and never blocks.
 */
public final class LockNotifier implements LockWaiterListener {
    private static final Logger log = LoggerFactory.getLogger(LockNotifier.class);

    /** Whether a lock owner still waits on a file ({@link LockManager#isWaiting}). */
    @FunctionalInterface
    public interface StillWanted {
        boolean test(OpenOwner owner, FileHandle file);
    }

    private final LongFunction<CallbackChannel> channels;
    private final LongPredicate clientLive;
    private final StillWanted waiting;
    private final Runnable onSent;

    /**
     * @param channels the callback channel of a client id, or null when it has none
     * @param clientLive whether a client id names a live client (ACTIVE or COURTESY, not being torn down)
     * @param waiting whether the owner still waits on the file (the lock manager)
     * @param onSent run once per CB_NOTIFY_LOCK handed to the transport (a counter; retries not counted)
     */
    public LockNotifier(LongFunction<CallbackChannel> channels, LongPredicate clientLive, StillWanted waiting,
            Runnable onSent) {
        this.channels = channels;
        this.clientLive = clientLive;
        this.waiting = waiting;
        this.onSent = onSent;
    }

    @Override
    public void eligible(OpenOwner owner, FileHandle file) {
        long clientId = owner.clientId();
        if (!clientLive.test(clientId)) {
            log.debug("no CB_NOTIFY_LOCK for {} on {}: client {} is not live", owner, file, Long.toHexString(clientId));
            return;
        }
        CallbackChannel ch = channels.apply(clientId);
        if (ch == null) {
            log.debug("no CB_NOTIFY_LOCK for {} on {}: no callback channel; the client polls", owner, file);
            return;
        }
        NotifyLockCallback cb = new NotifyLockCallback(owner, file,
                (o, f) -> clientLive.test(o.clientId()) && waiting.test(o, f), onSent);
        CallbackChannel.Submitted s = ch.submit(cb);
        if (s != CallbackChannel.Submitted.QUEUED) {
            log.debug("CB_NOTIFY_LOCK for {} on {} not queued ({})", owner, file, s);
        }
    }
}

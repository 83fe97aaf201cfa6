package org.jnfsd.core.delegation;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.callback.CallbackScheduler;
import org.jnfsd.core.callback.CallbackService;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GETATTR of size, change or time_modify by a client on a file another client holds a write
 * delegation on (RFC 8881 §10.4.3; knfsd's {@code nfsd4_deleg_getattr_conflict}). The holder may
 * have written data the server has not seen, so the server asks it with CB_GETATTR and answers
 * from its reply:
 *
 * <ul>
 *   <li>The holder reports the change and size it had when the delegation was granted, and never
 *       reported otherwise: the server's own attributes are right; answered as they are.
 *   <li>It reports anything else (now or in an earlier reply: sticky, {@link
 *       Delegation#noteHolderAttributes}): the file was modified under the delegation. The server
 *       sets the file's mtime (and so ctime and the change attribute) to now, so the change
 *       attribute advances past every value the other client saw, and answers with the holder's
 *       size. This is what knfsd does; the backend keeps its own size until the holder writes.
 *   <li>A timestamps delegation (RFC 9754) is also asked for time_deleg_access and
 *       time_deleg_modify, also for a GETATTR of time_access alone, and the server keeps the
 *       times it reports instead of "now" ({@link DelegatedTimes#keepReported}).
 *   <li>No usable answer within {@code bound} (no channel, refused, error status, failed,
 *       unanswered): the delegation is recalled and the GETATTR answered NFS4ERR_DELAY. So is a
 *       GETATTR while the delegation is already being recalled.
 * </ul>
 *
 * <p>Waiting: the request's (virtual) thread waits for the reply, bounded by {@code bound} through
 * the injected {@link CallbackScheduler} (never the wall clock), as knfsd waits
 * {@code NFSD_CB_GETATTR_TIMEOUT} (about 30 ms) before recalling. The callback itself stays owned
 * by the holder's channel, which releases it on every path; a late reply completes nothing.
 * Concurrent GETATTRs each send their own CB_GETATTR (knfsd coalesces them; not done here).
 *
 * <p>Thread-safe: no mutable state of its own.
 */
public final class GetattrConflict {
    private static final Logger log = LoggerFactory.getLogger(GetattrConflict.class);

    /** The attributes a write delegation's holder may know better than the server. */
    private static final int[] HOLDER_ATTRS = Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE, AttrBit.TIME_MODIFY);

    /** Queues a CB_GETATTR on the holder's callback channel. */
    @FunctionalInterface
    interface Submitter {
        /**
         * @return true when queued (the channel owns {@code cb} and releases it); false when the
         *     holder has no channel or it refused (then {@code cb} has been released)
         */
        boolean submit(long holder, GetattrCallback cb);
    }

    /** Starts the recall of other clients' write delegations on a file (queued, not awaited). */
    @FunctionalInterface
    interface Recaller {
        void recallWrite(long clientId, FileHandle file);
    }

    private final DelegationTable table;
    private final Submitter submitter;
    private final Recaller recaller;
    private final CallbackScheduler scheduler;
    private final Duration bound;
    private final ServerCounters counters;

    /** CB_GETATTR over the holders' channels in {@code callbacks}, waiting at most {@code bound}. */
    public GetattrConflict(DelegationTable table, CallbackService callbacks, CallbackScheduler scheduler,
            Duration bound, ServerCounters counters) {
        this(table, (holder, cb) -> submit(callbacks, holder, cb),
                (clientId, file) -> table.recallFor(clientId, file, true, callbacks), scheduler, bound, counters);
    }

    GetattrConflict(DelegationTable table, Submitter submitter, Recaller recaller, CallbackScheduler scheduler,
            Duration bound, ServerCounters counters) {
        this.table = table;
        this.submitter = submitter;
        this.recaller = recaller;
        this.scheduler = scheduler;
        this.bound = bound;
        this.counters = counters;
    }

    private static boolean submit(CallbackService callbacks, long holder, GetattrCallback cb) {
        CallbackChannel ch = callbacks.channel(new ClientId(holder));
        if (ch == null) {
            cb.release(); // never submitted: release it here, so every path releases it once
            return false;
        }
        return switch (ch.submit(cb)) {
            case QUEUED -> true;
            case REFUSED -> false;
            case ALREADY_RUNNING -> throw new IllegalStateException(cb + " is new, yet already running");
        };
    }

    /**
     * The attributes GETATTR of {@code clientId} should answer for {@code file}: {@code st} unless
     * another client's write delegation is on it and {@code request} asks for size, change or
     * time_modify (see the class comment). May wait up to the bound for the holder.
     *
     * @throws NfsException NFS4ERR_DELAY when the holder gave no answer (its delegation is being
     *     recalled); a backend error touching the file
     */
    public Stat resolve(long clientId, FileHandle file, int[] request, Stat st, VirtualFileSystem fs)
            throws NfsException {
        boolean holderAttrs = Bitmap.trim(Bitmap.and(request, HOLDER_ATTRS)).length != 0;
        if (!holderAttrs && !Bitmap.isSet(request, AttrBit.TIME_ACCESS)) {
            return st;
        }
        Delegation d = table.writeDelegationOfOther(clientId, file);
        // time_access is the holder's to know only when the times are delegated (RFC 9754)
        if (d == null || (!holderAttrs && !d.timestamps())) {
            return st;
        }
        if (d.state() != Delegation.State.GRANTED) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, "GETATTR of " + file + ": " + d + " being recalled");
        }
        GetattrCallback cb = new GetattrCallback(d, () -> counters.increment(ServerEvent.CB_GETATTR_SENT));
        if (!submitter.submit(d.clientId(), cb)) {
            throw recallAndDelay(clientId, d, "CB_GETATTR not queued", null);
        }
        CallbackScheduler.Timer timer = scheduler.schedule(cb::expire, bound);
        GetattrCallback.HolderAttributes held;
        try {
            held = cb.replyAsync().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw recallAndDelay(clientId, d, e.getCause().getMessage(), e.getCause());
        } finally {
            timer.cancel();
        }
        boolean modified = d.noteHolderAttributes(held.change(), held.size());
        if (d.timestamps()) {
            return DelegatedTimes.keepReported(file, st, fs, modified, held);
        }
        if (!modified) {
            return st;
        }
        try {
            fs.setattr(file.inode(), new SetAttributes(null, null, null, null, null, SetAttributes.TimeValue.SERVER_NOW));
            Stat now = fs.getattr(file.inode());
            log.debug("GETATTR of {}: {} reports it modified (size {}); change now {}", file, d, held.size(),
                    now.change());
            return withSize(now, held.size());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /** @param cause why the holder gave no answer, or null when there is no exception to tell */
    private NfsException recallAndDelay(long clientId, Delegation d, String why, Throwable cause) {
        log.info("GETATTR of {}: {}; recalling {}", d.file(), why, d);
        recaller.recallWrite(clientId, d.file());
        String message = "GETATTR of " + d.file() + ": " + why + "; " + d + " recalled";
        return cause != null ? new NfsException(NfsStatus.NFS4ERR_DELAY, message, cause)
                : new NfsException(NfsStatus.NFS4ERR_DELAY, message);
    }

    static Stat withSize(Stat s, long size) {
        return new Stat(s.type(), s.fileId(), s.mode(), s.nlink(), s.uid(), s.gid(), size, s.spaceUsed(), s.atime(),
                s.mtime(), s.ctime(), s.birthTime(), s.change(), s.rdevMajor(), s.rdevMinor());
    }
}

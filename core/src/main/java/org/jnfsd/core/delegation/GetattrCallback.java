package org.jnfsd.core.delegation;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.callback.Callback;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;

/**
 * The CB_GETATTR (RFC 8881 §20.1) of the change attribute and size a write delegation's holder
 * has, sent for a GETATTR of another client ({@link GetattrConflict}). Built only for a {@link
 * Delegation.Type#WRITE} delegation: the constructor refuses any other state (callback-races row
 * 21, where knfsd sent CB_GETATTR for a lease that was not a delegation).
 *
 * <p>{@link #prepare} sends nothing once the delegation is no longer live (returned or revoked
 * meanwhile). {@link #done} completes {@link #replyAsync} with the holder's attributes, or
 * exceptionally with a {@link GetattrFailedException} for every other outcome (error status, a
 * reply without change and size, skipped, failed); {@link #expire} does the same when the caller
 * stops waiting first. {@link #release} drops the reference to the delegation exactly once
 * (rule 5): {@link #delegation} is cleared by a CAS.
 */
public final class GetattrCallback extends Callback {
    /** What CB_GETATTR asks: change and size (word 0 bits 3 and 4), as knfsd asks. */
    static final int[] REQUEST = Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE);
    /** Of a timestamps delegation (RFC 9754): the delegated times too, as knfsd asks. */
    static final int[] REQUEST_WITH_TIMES = Bitmap.of(AttrBit.CHANGE, AttrBit.SIZE, AttrBit.TIME_DELEG_ACCESS,
            AttrBit.TIME_DELEG_MODIFY);

    /** The holder's view of the file; the times only from a timestamps delegation, null when not reported. */
    public record HolderAttributes(long change, long size, Instant atime, Instant mtime) {
        public HolderAttributes(long change, long size) {
            this(change, size, null, null);
        }
    }

    /** Why a CB_GETATTR gave no attributes. */
    public static final class GetattrFailedException extends Exception {
        GetattrFailedException(String message) {
            super(message);
        }

        GetattrFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Cleared once, by release(); prepare/done read it on the channel's queue before that. */
    private final AtomicReference<Delegation> delegation;
    private final String subject;
    // completed once, by done() or expire(), whichever comes first; readers only get the stage
    private final CompletableFuture<HolderAttributes> reply = new CompletableFuture<>();

    // runs once, when the call first goes to the transport (a counter)
    private final Runnable firstSent;
    private final AtomicBoolean sentOnce = new AtomicBoolean();

    /** @throws IllegalArgumentException when {@code delegation} is not a write delegation */
    GetattrCallback(Delegation delegation) {
        this(delegation, () -> { });
    }

    /**
     * @param firstSent run once, when the call first goes to the transport (not when it is only queued)
     * @throws IllegalArgumentException when {@code delegation} is not a write delegation
     */
    GetattrCallback(Delegation delegation, Runnable firstSent) {
        super("CB_GETATTR");
        this.firstSent = firstSent;
        if (delegation.type() != Delegation.Type.WRITE) {
            throw new IllegalArgumentException("CB_GETATTR for " + delegation + ": only a write delegation has one");
        }
        this.delegation = new AtomicReference<>(delegation);
        this.subject = delegation.stateId().key() + " on " + delegation.file();
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    protected void sent() {
        if (sentOnce.compareAndSet(false, true)) {
            firstSent.run();
        }
    }

    /** The holder's attributes, or a {@link GetattrFailedException}; completed exactly once. */
    public CompletionStage<HolderAttributes> replyAsync() {
        return reply.minimalCompletionStage();
    }

    /** The waiter gave up (its bound passed): completes the reply exceptionally unless it came. */
    void expire() {
        reply.completeExceptionally(new GetattrFailedException("CB_GETATTR of " + subject + " unanswered in time"));
    }

    @Override
    protected Optional<CbArgs> prepare() {
        Delegation d = delegation.get();
        if (d == null || !d.isLive()) {
            return Optional.empty();
        }
        return Optional.of(new CbGetattrArgs(d.file().toBytes(), d.timestamps() ? REQUEST_WITH_TIMES : REQUEST));
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        switch (outcome) {
            case CallbackOutcome.Replied r when r.result() instanceof CbGetattrResult g && g.status().isOk() -> {
                try {
                    reply.complete(decode(g.attributes()));
                } catch (GetattrFailedException e) {
                    reply.completeExceptionally(e);
                }
            }
            case CallbackOutcome.Replied r -> reply.completeExceptionally(new GetattrFailedException(
                    "CB_GETATTR of " + subject + " answered " + (r.result() == null ? "nothing" : r.result().status())));
            case CallbackOutcome.Skipped s -> reply.completeExceptionally(
                    new GetattrFailedException("CB_GETATTR of " + subject + " skipped: delegation no longer live"));
            case CallbackOutcome.Failed f -> reply.completeExceptionally(new GetattrFailedException(
                    "CB_GETATTR of " + subject + " failed (" + f.reason() + ": " + f.detail() + ")"));
        }
    }

    /**
     * change and size from a CB_GETATTR reply: fattr4 values in attribute order, each a uint64,
     * then, when present, time_deleg_access and time_deleg_modify (nfstime4 each; RFC 9754, from
     * the holder of a timestamps delegation, which may leave either out). Any other attribute, or
     * a missing change or size, makes the reply unusable.
     */
    static HolderAttributes decode(Fattr4 attrs) throws GetattrFailedException {
        int[] mask = Bitmap.trim(attrs.mask());
        boolean timesOnly = mask.length == 3 && mask[1] == 0
                && (mask[2] & ~REQUEST_WITH_TIMES[2]) == 0;
        if (mask.length == 0 || mask[0] != REQUEST[0] || (mask.length != 1 && !timesOnly)) {
            throw new GetattrFailedException("CB_GETATTR reply without exactly change and size: mask "
                    + (mask.length == 0 ? "empty" : Integer.toHexString(mask[0]) + " (" + mask.length + " words)"));
        }
        ByteBuffer b = ByteBuffer.wrap(attrs.values());
        try {
            long change = b.getLong();
            long size = b.getLong();
            Instant atime = Bitmap.isSet(mask, AttrBit.TIME_DELEG_ACCESS) ? time(b) : null;
            Instant mtime = Bitmap.isSet(mask, AttrBit.TIME_DELEG_MODIFY) ? time(b) : null;
            if (b.hasRemaining()) {
                throw new GetattrFailedException("CB_GETATTR reply with " + b.remaining() + " bytes too many");
            }
            return new HolderAttributes(change, size, atime, mtime);
        } catch (BufferUnderflowException e) {
            throw new GetattrFailedException("CB_GETATTR reply truncated: " + attrs.values().length + " bytes", e);
        }
    }

    /** nfstime4: int64 seconds, uint32 nanoseconds (below a billion, else the reply is unusable). */
    private static Instant time(ByteBuffer b) throws GetattrFailedException {
        long seconds = b.getLong();
        int nanos = b.getInt();
        if (Integer.compareUnsigned(nanos, 999_999_999) > 0) {
            throw new GetattrFailedException("CB_GETATTR reply with nseconds " + Integer.toUnsignedString(nanos));
        }
        try {
            return new NfsTime(seconds, nanos).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new GetattrFailedException("CB_GETATTR reply with seconds " + seconds, e);
        }
    }

    @Override
    protected void release() {
        if (delegation.getAndSet(null) == null) {
            throw new IllegalStateException("CB_GETATTR of " + subject + " released twice");
        }
    }

    /** Whether release() has run. */
    boolean released() {
        return delegation.get() == null;
    }
}

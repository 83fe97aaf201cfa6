package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link RpcConnection} over one Netty channel: runs incoming calls on virtual threads and
 * keeps the table of pending outgoing calls.
 *
 * <pre>
 *   OPEN ──(channel closed: {@link #channelClosed})──▶ CLOSED
 * </pre>
 *
 * The one transition happens once, from the channel's close future. On it the close listeners run
 * and every pending outgoing call fails with {@link RpcCallException.Reason#CONNECTION_CLOSED}.
 *
 * <p>Pending calls: whoever removes a call's entry from {@link #pending} (the reply, the timeout,
 * a failed write, the close) completes its future, so each future completes exactly once. A call
 * registered concurrently with the close re-checks the state after registering and withdraws
 * itself if the close may have missed it.
 *
 * <p>Futures are completed on a virtual thread, never on the event loop, so that dependent actions
 * may block.
 *
 * <p>Replies: a call's thread does not write its reply to the channel itself. It queues it in
 * {@link #replies} and, unless a drain is already scheduled ({@link #drainScheduled}), schedules
 * one task on the event loop, which writes every queued reply and flushes once. Under load many
 * replies finish while the event loop is busy, and they leave in one {@code write} system call and
 * one event-loop wake-up instead of one each (a flush per reply cost 40% of the server's CPU under
 * the NULL benchmark).
 */
final class NettyRpcConnection implements RpcConnection {
    private static final Logger LOG = LoggerFactory.getLogger(NettyRpcConnection.class);
    /**
     * Process-wide source of connection ids: the contract is "unique per process", which only a
     * process-wide counter can give. Never reset; not configuration.
     */
    private static final AtomicLong IDS = new AtomicLong();

    /** Offset of the procedure number in a call record: after xid, msg_type, rpcvers, prog and vers. */
    private static final int PROCEDURE_OFFSET = 20;

    enum State { OPEN, CLOSED }

    private final long id;
    private final Channel channel;
    private final CallDispatcher dispatcher;
    /** Starts one virtual thread per task. */
    private final Executor executor;
    /** Shared with the other connections of the server or client. */
    private final InFlightCalls inFlight;
    private final int maxCalls;
    /** Calls of this connection executing; incremented on the event loop, decremented by the call's thread. */
    private final AtomicInteger callsExecuting = new AtomicInteger();
    /** Bytes this connection makes the server hold: records executing, replies unsent. */
    private final ConnectionBackPressure held;
    private final java.time.Duration drainTimeout;
    private final PeerGuards guards;
    /** Set once a session uses this connection: the idle timeout spares it. */
    private volatile boolean sessionBound;
    /** The call a call thread is executing, for {@link #reserveReply}; set by {@link #executeCall}. */
    private static final ThreadLocal<CallAccount> CURRENT = new ThreadLocal<>();
    /** True while a drain watchdog is scheduled ({@link #watchDrain}). */
    private final AtomicBoolean drainWatched = new AtomicBoolean();
    /** True while reading is off because of held bytes; event loop only. */
    private boolean pausedForBytes;
    /** Outgoing calls awaiting their reply, by xid. */
    private final Map<Integer, PendingCall> pending = new ConcurrentHashMap<>();
    /** Next outgoing xid; starts at a random value so xids differ across connections and restarts. */
    private final AtomicInteger nextXid = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    /** Sealed replies awaiting the event loop; offered by call threads, polled by {@link #writeReplies} only. */
    private final Queue<ByteBuf> replies = new ConcurrentLinkedQueue<>();
    /**
     * True from the moment a call thread schedules {@link #writeReplies} until that task starts
     * draining; set by compare-and-set in {@link #sendReply}, cleared by the task (or by
     * {@link #releaseReplies} when the event loop refuses the task).
     */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** A NULL reply was written on the event loop and awaits the flush at the end of the read batch; event loop only. */
    private boolean nullRepliesUnflushed;
    private final Object lock = new Object();
    /** Guarded by lock; read without it through the volatile. */
    private volatile State state = State.OPEN;
    /** Guarded by lock; null once CLOSED. */
    private List<Runnable> closeListeners = new ArrayList<>();

    NettyRpcConnection(Channel channel, ConnectionConfig config) {
        this.id = IDS.incrementAndGet();
        this.channel = channel;
        this.dispatcher = config.dispatcher();
        this.executor = config.executor();
        this.inFlight = config.inFlight();
        this.maxCalls = config.maxCallsPerConnection();
        this.held = new ConnectionBackPressure(config.maxHeldBytes(), config.budget());
        this.drainTimeout = config.drainTimeout();
        this.guards = config.guards();
        channel.config().setWriteBufferWaterMark(config.writeBufferWaterMark());
        channel.closeFuture().addListener(f -> channelClosed());
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return channel.localAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN && channel.isActive();
    }

    @Override
    public void onClose(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (state == State.OPEN) {
                closeListeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    @Override
    public void close() {
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    /** Bytes held for this connection now (records executing, replies unsent); for tests. */
    long heldBytes() {
        return held.held();
    }

    @Override
    public boolean reserveReply(long bytes) {
        CallAccount account = CURRENT.get();
        if (account == null || account.connection != this) {
            throw new IllegalStateException("reserveReply outside a call of " + this);
        }
        try {
            if (!held.reserve(bytes, drainTimeout.toNanos())) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        account.reserved += bytes;
        pauseIfHeld();
        return true;
    }

    @Override
    public void markSessionBound() {
        sessionBound = true;
    }

    /**
     * The idle timeout passed with nothing read or written: closes the connection unless a
     * session uses it or a call is executing. Event loop.
     */
    void idle() {
        if (!sessionBound && callsExecuting.get() == 0 && pending.isEmpty() && channel.isOpen()) {
            guards.refused(Refusal.IDLE, "Closing {}: idle for {} without a session", this, guards.idleTimeout());
            channel.close();
        }
    }

    /** Number of outgoing calls awaiting a reply (for tests and metrics). */
    int pendingCallCount() {
        return pending.size();
    }

    /**
     * Executes an incoming call and sends its reply. Takes ownership of {@code record}: it is
     * released once the call has been executed. Runs on the event loop.
     *
     * <p>A call of procedure 0 (NULL, in every program) is answered here, on the event loop: the
     * dispatcher checks its header and credential and builds an empty reply without running any
     * program code, which never blocks and costs less than handing it to a thread. Its reply is
     * flushed with the others of the same read batch ({@link #flushNullReplies}). Every other
     * call runs on a virtual thread of its own.
     */
    void dispatchCall(ByteBuf record) {
        if (record.readableBytes() >= PROCEDURE_OFFSET + 4
                && record.getInt(record.readerIndex() + PROCEDURE_OFFSET) == 0) {
            answerNull(record);
            return;
        }
        inFlight.enter();
        int size = record.readableBytes();
        held.recordStarted(size);
        callsExecuting.incrementAndGet();
        updateAutoRead();
        try {
            executor.execute(() -> executeCall(record, size));
        } catch (RejectedExecutionException | OutOfMemoryError e) {
            held.recordFinished(size);
            callFinished();
            record.release();
            throw e;
        }
    }

    /** Answers a NULL call on the event loop; releases {@code record}. */
    private void answerNull(ByteBuf record) {
        ByteBuf reply;
        try {
            reply = dispatcher.execute(record, this, channel.alloc());
        } catch (RuntimeException e) {
            LOG.error("NULL call xid {} from {} could not be answered",
                    CallDispatcher.hex(record.getInt(record.readerIndex())), remoteAddress(), e);
            return;
        } finally {
            record.release();
        }
        if (reply != null) {
            int xid = reply.getInt(reply.readerIndex() + 4); // after the record mark
            channel.write(reply).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.debug("Reply to NULL call xid {} on {} not sent", CallDispatcher.hex(xid), this, f.cause());
                }
            });
            nullRepliesUnflushed = true;
        }
    }

    /** Flushes the NULL replies written during the read batch that just ended; runs on the event loop. */
    void flushNullReplies() {
        if (nullRepliesUnflushed) {
            nullRepliesUnflushed = false;
            channel.flush();
        }
    }

    private void callFinished() {
        inFlight.exit();
        callsExecuting.decrementAndGet();
        if (!channel.config().isAutoRead() && channel.isOpen()) {
            try {
                channel.eventLoop().execute(this::updateAutoRead);
            } catch (RejectedExecutionException e) {
                // the event loop shut down after the isOpen check: nothing is read any more anyway
                LOG.debug("{}: event loop gone, reading not resumed", this, e);
            }
        }
    }

    /** From a call thread: reading stops at once when a reservation took the held bytes over the bound. */
    private void pauseIfHeld() {
        if (channel.config().isAutoRead() && held.overBound(false)) {
            try {
                channel.eventLoop().execute(this::updateAutoRead);
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: event loop gone", this, e);
            }
        }
    }

    /**
     * Back pressure: reads only while fewer than the maximum calls execute and the outbound buffer
     * is below its high-water mark ({@link ConnectionConfig#writeBufferHighWaterMark}). Memory stays
     * bounded: once paused, no new call starts, so unsent replies are at most the high-water mark
     * plus one reply (at most a maximum-size record) per call already executing. Runs on the event loop: on dispatch, when a call finishes below
     * the maximum, and when the channel's writability changes.
     */
    void updateAutoRead() {
        boolean overBound = held.overBound(pausedForBytes);
        boolean read = callsExecuting.get() < maxCalls && channel.isWritable() && !overBound;
        pausedForBytes = overBound;
        if (channel.config().isAutoRead() != read) {
            LOG.debug("{}: {} reading ({} calls executing, writable {}, {} bytes held)", this,
                    read ? "resumes" : "pauses", callsExecuting.get(), channel.isWritable(), held.held());
            channel.config().setAutoRead(read);
        }
    }

    /**
     * The drain watchdog: started when a reply is queued and none runs; every drain timeout it
     * closes the connection if replies are still unsent and none was written since its last look
     * (the peer stopped reading), stops once no reply is held, else looks again. Event loop only.
     */
    private void watchDrain(long writtenBefore) {
        if (!channel.isOpen()) {
            return;
        }
        if (held.replyBytes() == 0) {
            drainWatched.set(false);
            if (held.replyBytes() == 0 || !drainWatched.compareAndSet(false, true)) {
                return; // a reply queued after the first look started a watchdog of its own, or none is needed
            }
        }
        long now = held.written();
        if (now == writtenBefore && writtenBefore >= 0) {
            guards.refused(Refusal.DRAIN_TIMEOUT, "Closing {}: {} bytes of replies unread for {}", this, held.held(),
                    drainTimeout);
            channel.close();
            return;
        }
        channel.eventLoop().schedule(() -> watchDrain(now), drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the drain watchdog unless it runs; any thread. */
    private void startDrainWatch() {
        if (drainWatched.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(() -> watchDrain(-1));
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: event loop gone", this, e);
            }
        }
    }

    private void executeCall(ByteBuf record, int size) {
        CallAccount account = new CallAccount(this);
        CURRENT.set(account);
        try {
            int xid = record.getInt(record.readerIndex());
            ByteBuf reply;
            try {
                reply = dispatcher.execute(record, this, channel.alloc());
            } catch (Throwable t) {
                LOG.error("Call xid {} from {} could not be answered", CallDispatcher.hex(xid), remoteAddress(), t);
                held.unreserve(account.reserved);
                return;
            } finally {
                record.release();
                held.recordFinished(size);
            }
            if (reply != null) {
                held.replyQueued(account.reserved, reply.readableBytes());
                sendReply(reply);
                startDrainWatch();
            } else {
                held.unreserve(account.reserved);
            }
        } finally {
            CURRENT.remove();
            callFinished();
        }
    }

    /** The reservations of the call a thread is executing. */
    private static final class CallAccount {
        final NettyRpcConnection connection;
        /** Only the call's own thread touches it. */
        long reserved;

        CallAccount(NettyRpcConnection connection) {
            this.connection = connection;
        }
    }

    /**
     * Hands a sealed reply record to the event loop, which writes it in the next batch; takes
     * ownership of {@code reply}. Runs on a call's thread.
     */
    private void sendReply(ByteBuf reply) {
        replies.add(reply);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::writeReplies);
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: event loop gone, replies dropped", this, e);
                releaseReplies();
            }
        }
    }

    /**
     * Writes every queued reply, then flushes once. Runs on the event loop, scheduled by
     * {@link #sendReply}. The flag is cleared before draining: a reply queued after the last poll
     * schedules the next drain itself. A write to a closed channel fails and releases its reply.
     * The loop ends: every reply belongs to a call already read, and no new call is read while
     * this task holds the event loop, so at most the connection's executing calls can refill it.
     */
    private void writeReplies() {
        drainScheduled.set(false);
        boolean wrote = false;
        for (ByteBuf reply = replies.poll(); reply != null; reply = replies.poll()) {
            int xid = reply.getInt(reply.readerIndex() + 4); // after the record mark
            int size = reply.readableBytes();
            channel.write(reply).addListener(f -> {
                held.replyWritten(size);
                if (!f.isSuccess()) {
                    LOG.debug("Reply to call xid {} on {} not sent", CallDispatcher.hex(xid), this, f.cause());
                }
                if (pausedForBytes) {
                    updateAutoRead();
                }
            });
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * Releases the queued replies once the event loop has refused the drain task (it has shut
     * down). Loops until no reply is left behind: a reply queued while the flag was still set is
     * released here, one queued after the flag is cleared schedules its own (refused) drain.
     */
    private void releaseReplies() {
        do {
            for (ByteBuf reply = replies.poll(); reply != null; reply = replies.poll()) {
                held.replyWritten(reply.readableBytes());
                reply.release();
            }
            drainScheduled.set(false);
        } while (!replies.isEmpty() && drainScheduled.compareAndSet(false, true));
    }

    /** Matches a reply to its pending call; runs on the event loop; does not release {@code record}. */
    void replyReceived(ByteBuf record) {
        int xid = record.getInt(record.readerIndex());
        PendingCall call = pending.remove(xid);
        if (call == null) {
            LOG.debug("Reply with unknown xid {} on connection {} from {} dropped", CallDispatcher.hex(xid), id,
                    remoteAddress());
            return;
        }
        call.cancelTimeout();
        RpcReply reply;
        try {
            reply = RpcMessages.decodeReply(record);
        } catch (XdrException e) {
            fail(call, new RpcCallException(RpcCallException.Reason.MALFORMED_REPLY,
                    "malformed reply to " + call + ": " + e.getMessage(), e));
            return;
        }
        executor.execute(() -> call.future.complete(reply));
    }

    @Override
    public CompletionStage<RpcReply> callAsync(int program, int version, int procedure, Credential cred,
            Consumer<XdrEncoder> args, Duration timeout) {
        Objects.requireNonNull(cred, "cred");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(timeout, "timeout");
        int xid = nextXid.getAndIncrement();
        PendingCall call = new PendingCall(xid, program, version, procedure, new CompletableFuture<>());
        ByteBuf record = RpcMessages.startRecord(channel.alloc());
        try {
            XdrEncoder out = new XdrEncoder(record);
            RpcMessages.writeCallHeader(out, xid, program, version, procedure, cred);
            args.accept(out);
            RpcMessages.sealRecord(record);
        } catch (Throwable t) {
            record.release();
            call.future.completeExceptionally(t);
            return call.future.minimalCompletionStage();
        }
        if (pending.putIfAbsent(xid, call) != null) {
            record.release();
            call.future.completeExceptionally(new RpcCallException(RpcCallException.Reason.XID_IN_USE,
                    call + ": xid still in use by an earlier call"));
            return call.future.minimalCompletionStage();
        }
        if (state == State.CLOSED) {
            // the close may have drained the table before our entry was in it
            record.release();
            if (pending.remove(xid, call)) {
                call.future.completeExceptionally(closedException(call));
            }
            return call.future.minimalCompletionStage();
        }
        try {
            call.timeout = channel.eventLoop().schedule(() -> timedOut(call, timeout), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            record.release();
            if (pending.remove(xid, call)) {
                call.future.completeExceptionally(new RpcCallException(RpcCallException.Reason.CONNECTION_CLOSED,
                        call + ": the connection's event loop has shut down", e));
            }
            return call.future.minimalCompletionStage();
        }
        channel.writeAndFlush(record).addListener(f -> {
            if (!f.isSuccess() && pending.remove(xid, call)) {
                call.cancelTimeout();
                fail(call, channel.isActive()
                        ? new RpcCallException(RpcCallException.Reason.SEND_FAILED, call + " could not be sent", f.cause())
                        : closedException(call));
            }
        });
        return call.future.minimalCompletionStage();
    }

    private void timedOut(PendingCall call, Duration timeout) {
        if (pending.remove(call.xid, call)) {
            fail(call, new RpcCallException(RpcCallException.Reason.TIMED_OUT,
                    call + ": no reply within " + timeout));
        }
    }

    private RpcCallException closedException(PendingCall call) {
        return new RpcCallException(RpcCallException.Reason.CONNECTION_CLOSED,
                call + ": connection " + id + " to " + channel.remoteAddress() + " closed");
    }

    private void fail(PendingCall call, RpcCallException e) {
        try {
            executor.execute(() -> call.future.completeExceptionally(e));
        } catch (RejectedExecutionException | OutOfMemoryError t) {
            e.addSuppressed(t);
            call.future.completeExceptionally(e);
        }
    }

    /** OPEN → CLOSED; runs once, on the event loop, from the channel's close future. */
    private void channelClosed() {
        List<Runnable> listeners;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            listeners = closeListeners;
            closeListeners = null;
        }
        held.close();
        for (Integer xid : pending.keySet()) {
            PendingCall call = pending.remove(xid);
            if (call != null) {
                call.cancelTimeout();
                fail(call, closedException(call));
            }
        }
        for (Runnable listener : listeners) {
            executor.execute(() -> {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.error("Close listener of connection {} to {} failed", id, channel.remoteAddress(), e);
                }
            });
        }
    }

    @Override
    public String toString() {
        return "RpcConnection[" + id + ", " + channel.localAddress() + " <-> " + channel.remoteAddress() + "]";
    }

    /** One outgoing call awaiting its reply. */
    private static final class PendingCall {
        final int xid;
        final int program;
        final int version;
        final int procedure;
        final CompletableFuture<RpcReply> future;
        /** Written once by callAsync, possibly after the entry is visible to others; hence volatile. */
        volatile ScheduledFuture<?> timeout;

        PendingCall(int xid, int program, int version, int procedure, CompletableFuture<RpcReply> future) {
            this.xid = xid;
            this.program = program;
            this.version = version;
            this.procedure = procedure;
            this.future = future;
        }

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }

        @Override
        public String toString() {
            return "call xid " + CallDispatcher.hex(xid) + " (program " + program + " v" + version + " procedure "
                    + procedure + ")";
        }
    }
}

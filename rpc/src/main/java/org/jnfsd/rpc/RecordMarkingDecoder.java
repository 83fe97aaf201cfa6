package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Record marking (RFC 5531 §11): turns the TCP byte stream into whole RPC records, one
 * {@link ByteBuf} per record passed to the next handler, which owns and releases it.
 *
 * <p>A single-fragment record (what every known client sends) is a retained slice of the
 * cumulation buffer, not a copy; when a large one spans several socket reads, the cumulation joins
 * the read buffers instead of copying them ({@link RecordCumulator}). The fragments of a
 * multi-fragment record are copied into one growing pooled buffer (linear in the record size
 * whatever the fragment count; a composite buffer would let a peer sending tiny fragments cost far
 * more than the bytes it sends).
 *
 * <p>The record size limit is checked on every fragment header, before the fragment's bytes are
 * awaited, so a peer can make the connection buffer at most {@code maxRecordSize} bytes. A record
 * over the limit closes the connection with a WARN log: framing cannot be recovered. Bytes of an
 * incomplete record at end of stream are discarded (and released by the base class).
 *
 * <p>One instance per channel; only the channel's event loop touches it.
 */
final class RecordMarkingDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMarkingDecoder.class);

    private final int maxRecordSize;
    private final PeerGuards guards;
    private final RecordCumulator cumulator = new RecordCumulator();
    /**
     * Unfinished-record bytes charged to the budget: set by the event loop ({@link #account}),
     * emptied by {@link #evict} from any thread; each change is a getAndSet, so every byte
     * charged is released exactly once.
     */
    private final java.util.concurrent.atomic.AtomicLong charged = new java.util.concurrent.atomic.AtomicLong();
    /** Set once by {@link #evict}: no longer a candidate. */
    private final java.util.concurrent.atomic.AtomicBoolean evicted = new java.util.concurrent.atomic.AtomicBoolean();
    /** The channel, once added to a pipeline; for {@link #evict} and logs. */
    private volatile io.netty.channel.Channel channel;
    /** The earlier fragments of the record being reassembled, or null; owned by this decoder. */
    private ByteBuf partial;
    /** True once the connection was closed for an oversized record: further input is discarded. */
    private boolean broken;

    RecordMarkingDecoder(int maxRecordSize) {
        this(maxRecordSize, PeerGuards.unlimited());
    }

    RecordMarkingDecoder(int maxRecordSize, PeerGuards guards) {
        if (maxRecordSize <= 0) {
            throw new IllegalArgumentException("maxRecordSize " + maxRecordSize);
        }
        this.maxRecordSize = maxRecordSize;
        this.guards = guards;
        setCumulator(cumulator);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        guards.register(this);
        super.handlerAdded(ctx);
    }

    /** Bytes of the record being received that are buffered here; any thread. */
    long unfinishedBytes() {
        return evicted.get() ? 0 : charged.get();
    }

    Object remote() {
        io.netty.channel.Channel c = channel;
        return c == null ? null : c.remoteAddress();
    }

    /** Closes this decoder's connection for the memory budget; true if it was still open. Any thread. */
    boolean evict() {
        io.netty.channel.Channel c = channel;
        if (c == null || !c.isOpen() || !evicted.compareAndSet(false, true)) {
            return false;
        }
        // the bytes are dropped as the close runs; counted free now so that no second victim is chosen for them
        long held = charged.getAndSet(0);
        guards.budget().release(MemoryBudget.Kind.INBOUND_RECORDS, held);
        c.close();
        return true;
    }

    /** Charges or releases the difference between the bytes buffered now and those charged. */
    private void account(long now) {
        if (evicted.get()) {
            now = 0;
        }
        long delta = now - charged.getAndSet(now);
        if (delta == 0) {
            return;
        }
        if (delta > 0) {
            guards.budget().charge(MemoryBudget.Kind.INBOUND_RECORDS, delta);
            guards.inboundGrew();
        } else {
            guards.budget().release(MemoryBudget.Kind.INBOUND_RECORDS, -delta);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!broken && in.readableBytes() >= 4) {
            int mark = in.getInt(in.readerIndex());
            boolean last = (mark & RpcMessages.LAST_FRAGMENT) != 0;
            int length = mark & ~RpcMessages.LAST_FRAGMENT;
            long recordSize = (partial == null ? 0L : partial.readableBytes()) + length;
            if (recordSize > maxRecordSize) {
                PeerLog.warn(LOG, "record-too-large", "Closing RPC connection from {}: record of at least {} bytes exceeds the limit of {} bytes",
                        ctx.channel().remoteAddress(), recordSize, maxRecordSize);
                broken = true;
                releasePartial();
                ctx.close();
                break;
            }
            if (in.readableBytes() - 4 < length) {
                cumulator.awaiting(length, length - (in.readableBytes() - 4));
                account(in.readableBytes() + (partial == null ? 0L : partial.readableBytes()));
                return; // wait for the rest of the fragment
            }
            in.skipBytes(4);
            cumulator.fragmentDone();
            if (last && partial == null) {
                out.add(in.readRetainedSlice(length));
            } else {
                if (partial == null) {
                    partial = ctx.alloc().buffer(Math.max(length, 256));
                }
                partial.writeBytes(in, length);
                if (last) {
                    out.add(partial);
                    partial = null;
                }
            }
        }
        if (broken) {
            in.skipBytes(in.readableBytes());
        }
        account(broken ? 0 : in.readableBytes() + (partial == null ? 0L : partial.readableBytes()));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartial();
        guards.unregister(this);
        account(0);
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}

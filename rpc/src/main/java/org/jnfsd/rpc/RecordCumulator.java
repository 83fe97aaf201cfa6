package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How {@link RecordMarkingDecoder} gathers a record that spans several socket reads.
 *
 * <p>While a large fragment is awaited ({@link #LARGE_FRAGMENT} bytes or more, a 1 MiB WRITE), the
 * socket's read buffers are joined into a {@link CompositeByteBuf} as they arrive, not copied: the
 * record handed on is a slice over the buffers the kernel filled, and a WRITE's payload goes from
 * them to the file (one {@code pwrite} per piece). Everything else is merged into one buffer as
 * Netty's {@link ByteToMessageDecoder#MERGE_CUMULATOR} does: small records are cheaper to copy than
 * to decode across pieces.
 *
 * <p>A peer sending small pieces must not make the connection hold far more memory than the bytes
 * it sent: a piece that fills less than half of its read buffer is copied into a buffer of its size
 * before it is joined (cheap: it is small), and a fragment is joined from at most
 * {@code 2 + length / MIN_PIECE} pieces. Past that the record goes flat: what was joined is copied
 * once into a buffer sized for the whole fragment and the rest of it is merged, so the copying is
 * never more than merging would have done.
 *
 * <p>One instance per decoder; only the channel's event loop touches it.
 */
final class RecordCumulator implements ByteToMessageDecoder.Cumulator {
    /** Fragments at least this large are gathered without copying. */
    static final int LARGE_FRAGMENT = 64 * 1024;
    /** The average piece size below which a large fragment stops being joined. */
    static final int MIN_PIECE = 8 * 1024;

    /** Length of the fragment being received; 0 when none is known. Set by the decoder. */
    private int fragment;
    /** Bytes of that fragment still missing. Set by the decoder. */
    private int missing;
    /** True once a piece of the current fragment did not qualify: the rest is merged. */
    private boolean flat;

    /** The decoder waits for {@code missing} more bytes of a fragment of {@code length} bytes. */
    void awaiting(int length, int missing) {
        this.fragment = length;
        this.missing = missing;
    }

    /** The decoder consumed the fragment it waited for: the next one is judged afresh. */
    void fragmentDone() {
        fragment = 0;
        missing = 0;
        flat = false;
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable()) {
            cumulation.release();
            return in;
        }
        if (fragment >= LARGE_FRAGMENT && !flat) {
            int pieces = cumulation instanceof CompositeByteBuf c ? c.numComponents() : 1;
            if (pieces < 2 + fragment / MIN_PIECE) {
                return ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, tight(alloc, in));
            }
            flat = true; // a peer sending many small pieces: merged from here on, as any record
        }
        if (cumulation instanceof CompositeByteBuf) {
            return flatten(alloc, cumulation, in);
        }
        return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
    }

    /**
     * {@code in} itself when its bytes fill at least half of it, else (a short read into a large
     * buffer) a copy of them in a buffer of their size; releases {@code in} when it copies.
     */
    private static ByteBuf tight(ByteBufAllocator alloc, ByteBuf in) {
        int n = in.readableBytes();
        if (n >= in.capacity() / 2 && in.isContiguous()) {
            return in;
        }
        try {
            return alloc.buffer(n, n).writeBytes(in, in.readerIndex(), n);
        } finally {
            in.release();
        }
    }

    /**
     * One buffer with {@code cumulation}'s bytes and {@code in}'s, room for the rest of the awaited
     * fragment; releases both. A composite is never merged into piece by piece (each piece would
     * become a component of its own).
     */
    private ByteBuf flatten(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        int have = cumulation.readableBytes() + in.readableBytes();
        int room = Math.max(have, cumulation.readableBytes() + missing);
        ByteBuf flatBuf = alloc.buffer(room);
        try {
            flatBuf.writeBytes(cumulation, cumulation.readerIndex(), cumulation.readableBytes());
            flatBuf.writeBytes(in, in.readerIndex(), in.readableBytes());
        } catch (RuntimeException e) {
            flatBuf.release();
            throw e;
        } finally {
            in.release();
        }
        cumulation.release();
        return flatBuf;
    }
}

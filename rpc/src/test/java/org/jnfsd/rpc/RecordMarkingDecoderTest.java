package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordMarkingDecoderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new RecordMarkingDecoder(64));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf bytes(Msg m) {
        return Unpooled.wrappedBuffer(m.bytes());
    }

    private static byte[] read(ByteBuf record) {
        try {
            byte[] out = new byte[record.readableBytes()];
            record.readBytes(out);
            return out;
        } finally {
            record.release();
        }
    }

    @Test
    void decode_singleFragment_emitsRecord() {
        channel.writeInbound(bytes(new Msg().i(RpcMessages.LAST_FRAGMENT | 8, 1, 2)));
        ByteBuf record = channel.readInbound();
        assertThat(read(record)).isEqualTo(new Msg().i(1, 2).bytes());
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void decode_threeFragments_emitsOneRecord() {
        channel.writeInbound(bytes(new Msg().i(4, 1, 0, RpcMessages.LAST_FRAGMENT | 8, 2, 3)));
        ByteBuf record = channel.readInbound();
        assertThat(read(record)).isEqualTo(new Msg().i(1, 2, 3).bytes());
    }

    @Test
    void decode_bytesArrivingOneByOne_emitsRecordsInOrder() {
        byte[] stream = new Msg().i(4, 1, RpcMessages.LAST_FRAGMENT | 4, 2, RpcMessages.LAST_FRAGMENT | 4, 3).bytes();
        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(read(channel.readInbound())).isEqualTo(new Msg().i(1, 2).bytes());
        assertThat(read(channel.readInbound())).isEqualTo(new Msg().i(3).bytes());
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void decode_emptyLastFragment_emitsEmptyRecord() {
        channel.writeInbound(bytes(new Msg().i(RpcMessages.LAST_FRAGMENT)));
        ByteBuf record = channel.readInbound();
        assertThat(read(record)).isEmpty();
    }

    @Test
    void decode_recordMarkOverLimit_closesWithoutWaitingForBytes() {
        channel.writeInbound(bytes(new Msg().i(RpcMessages.LAST_FRAGMENT | 65)));
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void decode_fragmentsOverLimitTogether_closes() {
        channel.writeInbound(bytes(new Msg().i(32).raw(new byte[32]).i(RpcMessages.LAST_FRAGMENT | 36)));
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void decode_recordAtLimit_isEmitted() {
        channel.writeInbound(bytes(new Msg().i(32).raw(new byte[32]).i(RpcMessages.LAST_FRAGMENT | 32).raw(new byte[32])));
        ByteBuf record = channel.readInbound();
        assertThat(read(record)).hasSize(64);
        assertThat(channel.isOpen()).isTrue();
    }

    /** A 200,000-byte record then a small one, the stream cut into pieces of {@code piece} bytes, each in a buffer of its size. */
    private static ByteBuf[] largeThenSmall(int piece, byte[] body) {
        byte[] stream = new Msg().i(RpcMessages.LAST_FRAGMENT | body.length).raw(body)
                .i(RpcMessages.LAST_FRAGMENT | 4, 9).bytes();
        List<ByteBuf> pieces = new ArrayList<>();
        for (int at = 0; at < stream.length; at += piece) {
            int n = Math.min(piece, stream.length - at);
            pieces.add(Unpooled.directBuffer(n, n).writeBytes(stream, at, n));
        }
        return pieces.toArray(ByteBuf[]::new);
    }

    private static byte[] body() {
        byte[] body = new byte[200_000];
        new Random(3).nextBytes(body);
        return body;
    }

    @Test
    void decode_largeRecordInLargePieces_joinsTheReadBuffersWithoutCopying() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1 << 20));
        byte[] body = body();
        for (ByteBuf piece : largeThenSmall(32 * 1024, body)) {
            ch.writeInbound(piece);
        }
        ByteBuf record = ch.readInbound();
        assertThat(record.nioBufferCount()).isGreaterThan(1); // a slice over the pieces, not a copy
        assertThat(read(record)).isEqualTo(body);
        assertThat(read(ch.readInbound())).isEqualTo(new Msg().i(9).bytes());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decode_largeRecordInManySmallPieces_copiedIntoOneBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(1 << 20));
        byte[] body = body();
        for (ByteBuf piece : largeThenSmall(1000, body)) { // 200 pieces: more than 2 + 200,000 / MIN_PIECE
            ch.writeInbound(piece);
        }
        ByteBuf record = ch.readInbound();
        assertThat(record.nioBufferCount()).isEqualTo(1);
        assertThat(read(record)).isEqualTo(body);
        assertThat(read(ch.readInbound())).isEqualTo(new Msg().i(9).bytes());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void cumulate_shortReadIntoLargeBuffer_joinsACopyOfItsSize() {
        RecordCumulator c = new RecordCumulator();
        c.awaiting(200_000, 190_000);
        ByteBuf first = Unpooled.directBuffer(16_384, 16_384).writeZero(16_384);
        ByteBuf shortRead = Unpooled.directBuffer(65_536).writeZero(100);
        ByteBuf fullRead = Unpooled.directBuffer(65_536).writeZero(40_000);
        CompositeByteBuf joined = (CompositeByteBuf) c.cumulate(UnpooledByteBufAllocator.DEFAULT, first, shortRead);
        joined = (CompositeByteBuf) c.cumulate(UnpooledByteBufAllocator.DEFAULT, joined, fullRead);
        try {
            assertThat(shortRead.refCnt()).isZero(); // copied, and released
            assertThat(joined.numComponents()).isEqualTo(3);
            assertThat(joined.readableBytes()).isEqualTo(56_484);
            assertThat(joined.component(1).capacity()).isEqualTo(100);
            assertThat(joined.component(2).memoryAddress()).isEqualTo(fullRead.memoryAddress()); // joined as it is
        } finally {
            joined.release();
        }
    }

    @Test
    void decode_truncatedRecordAtEnd_emitsNothing() {
        channel.writeInbound(bytes(new Msg().i(8, 1, 2, RpcMessages.LAST_FRAGMENT | 16, 3)));
        assertThat(channel.finish()).isFalse();
    }
}

package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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

    @Test
    void decode_truncatedRecordAtEnd_emitsNothing() {
        channel.writeInbound(bytes(new Msg().i(8, 1, 2, RpcMessages.LAST_FRAGMENT | 16, 3)));
        assertThat(channel.finish()).isFalse();
    }
}

package org.jnfsd.protocol.nfs4.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * Fuzzes the CB_COMPOUND reply decoder, what a client's callback replies reach (issue 16): any
 * bytes, and a valid reply (CB_SEQUENCE, CB_GETATTR with size and change, CB_RECALL) with one word
 * overwritten by an edge value and the end cut or padded. The decoder returns a result or throws
 * XdrException (or IndexOutOfBoundsException, which RpcCallbackTransport also maps to a malformed
 * reply); nothing else. See docs/fuzzing.md.
 */
class CallbackReplyFuzzTest {
    @Property
    void anyBytes_decodedOrMalformed(@ForAll @Size(max = 300) byte[] bytes) {
        decode(bytes);
    }

    @Property
    void mutatedValidReply_decodedOrMalformed(@ForAll @IntRange(min = 0, max = 40) int word, @ForAll("edges") int value,
            @ForAll @IntRange(min = -12, max = 12) int resize) {
        byte[] bytes = validReply();
        int at = 4 * word;
        if (at + 4 <= bytes.length) {
            bytes[at] = (byte) (value >>> 24);
            bytes[at + 1] = (byte) (value >>> 16);
            bytes[at + 2] = (byte) (value >>> 8);
            bytes[at + 3] = (byte) value;
        }
        decode(Arrays.copyOf(bytes, Math.max(0, bytes.length + resize)));
    }

    @Property(tries = 1)
    void validReply_decodes() {
        CbCompoundResult r = decode(validReply());
        assertThat(r).isNotNull();
        assertThat(r.results()).hasSize(3);
        assertThat(r.results().get(1).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Provide
    Arbitrary<Integer> edges() {
        return Arbitraries.oneOf(Arbitraries.of(0, -1, 1, 2, 3, 4, 8, 11, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 16),
                Arbitraries.integers());
    }

    private static CbCompoundResult decode(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return CbCompoundResult.decode(new XdrDecoder(buf));
        } catch (XdrException | IndexOutOfBoundsException malformed) {
            return null;
        } finally {
            buf.release();
        }
    }

    private static byte[] validReply() {
        ByteBuf b = Unpooled.buffer();
        XdrEncoder e = new XdrEncoder(b);
        e.writeInt(0).writeOpaque("cb".getBytes()).writeInt(3);
        e.writeInt(CbOpcode.CB_SEQUENCE.code());
        new CbSequenceResult(NfsStatus.NFS4_OK, new SessionId(new byte[16]), 1, 0, 0, 0).encode(e);
        // CB_GETATTR, OK, bitmap {change, size}, attrlist of 16 bytes
        e.writeInt(CbOpcode.CB_GETATTR.code()).writeInt(0).writeInt(1).writeInt((1 << 3) | (1 << 4))
                .writeOpaque(new byte[16]);
        e.writeInt(CbOpcode.CB_RECALL.code()).writeInt(0);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

}

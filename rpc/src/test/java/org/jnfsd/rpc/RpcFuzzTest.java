package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * Fuzz properties of what a peer's bytes reach first (issue 16): the record-marking decoder and
 * the AUTH_SYS credential parser. jqwik generates the inputs (random, with edge cases: zero and
 * huge lengths and counts); each property runs a few seconds in {@code ./test}; the long run is
 * {@code ./test -pl rpc -am -Dtest=RpcFuzzTest -Djqwik.tries.default=200000} (see
 * docs/fuzzing.md). Leaked buffers fail the class (testkit).
 */
class RpcFuzzTest {
    private static final int MAX_RECORD = 4096;

    /** Any bytes, any split: the decoder emits records or closes the channel, never throws, leaks nothing. */
    @Property
    void recordDecoder_anyBytesAnySplit_noExceptionNoLeak(@ForAll @Size(max = 600) byte[] bytes,
            @ForAll @IntRange(min = 1, max = 64) int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(MAX_RECORD));
        try {
            for (int at = 0; at < bytes.length && ch.isOpen(); at += chunk) {
                ch.writeInbound(Unpooled.copiedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
            }
            ch.checkException();
            for (ByteBuf r; (r = ch.readInbound()) != null; ) {
                assertThat(r.readableBytes()).isLessThanOrEqualTo(MAX_RECORD);
                r.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Fragments whose total exceeds the limit: the connection is closed at the header, nothing buffered. */
    @Property
    void recordDecoder_oversizedRecord_closedAtTheHeader(@ForAll @IntRange(min = MAX_RECORD + 1) int length,
            @ForAll boolean last, @ForAll @Size(max = 200) byte[] rest) {
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(MAX_RECORD));
        try {
            int mark = length | (last ? RpcMessages.LAST_FRAGMENT : 0);
            ByteBuf in = Unpooled.buffer().writeInt(mark).writeBytes(rest);
            ch.writeInbound(in);
            assertThat(ch.isOpen()).isFalse();
            assertThat((Object) ch.readInbound()).isNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Well-formed records in fragments, split anywhere: exactly the records sent come out (oracle). */
    @Property
    void recordDecoder_wellFormedFragments_sameRecordsWhateverTheSplit(@ForAll("records") List<List<byte[]>> records,
            @ForAll @IntRange(min = 1, max = 97) int chunk) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<byte[]> expected = new ArrayList<>();
        for (List<byte[]> fragments : records) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int i = 0; i < fragments.size(); i++) {
                byte[] f = fragments.get(i);
                int mark = f.length | (i == fragments.size() - 1 ? RpcMessages.LAST_FRAGMENT : 0);
                wire.writeBytes(new byte[] {(byte) (mark >>> 24), (byte) (mark >>> 16), (byte) (mark >>> 8), (byte) mark});
                wire.writeBytes(f);
                whole.writeBytes(f);
            }
            expected.add(whole.toByteArray());
        }
        byte[] bytes = wire.toByteArray();
        EmbeddedChannel ch = new EmbeddedChannel(new RecordMarkingDecoder(MAX_RECORD));
        try {
            for (int at = 0; at < bytes.length; at += chunk) {
                ch.writeInbound(Unpooled.copiedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
            }
            List<byte[]> got = new ArrayList<>();
            for (ByteBuf r; (r = ch.readInbound()) != null; ) {
                byte[] b = new byte[r.readableBytes()];
                r.readBytes(b);
                r.release();
                got.add(b);
            }
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i)).isEqualTo(expected.get(i));
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Provide
    Arbitrary<List<List<byte[]>>> records() {
        Arbitrary<byte[]> fragment = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return fragment.list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(5);
    }

    /** Any credential bytes: denied (AuthException) or garbage (XdrException), nothing else escapes. */
    @Property
    void authSys_anyBytes_deniedOrGarbageOnly(@ForAll @Size(max = 512) byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Credential c = Authentication.readCredentialAndVerifier(new XdrDecoder(buf));
            assertThat(c).isNotNull();
        } catch (Authentication.AuthException | XdrException expected) {
            // the right outcomes of bad input
        } finally {
            buf.release();
        }
    }

    /** A flavor AUTH_SYS header with a fuzzed body (the likelier way in): the same. */
    @Property
    void authSys_fuzzedBody_deniedOrGarbageOnly(@ForAll @Size(max = 420) byte[] body, @ForAll int lengthDelta) {
        ByteBuf buf = Unpooled.buffer();
        XdrEncoder e = new XdrEncoder(buf);
        int claimed = Math.abs(lengthDelta % 8) == 0 ? body.length : body.length + lengthDelta % 8;
        e.writeInt(RpcMessages.AUTH_SYS).writeInt(claimed).writeFixedOpaque(body).writeInt(0).writeInt(0);
        try {
            Authentication.readCredentialAndVerifier(new XdrDecoder(buf));
        } catch (Authentication.AuthException | XdrException expected) {
            // fine
        } finally {
            buf.release();
        }
    }

    /**
     * A valid AUTH_SYS credential, mutated as a fuzzer would: one 4-byte word overwritten with an
     * edge value (0, -1, 2^31-1, 16, 17, 255, 256, a huge count) and the body truncated or padded.
     * Denied or garbage, nothing else escapes; an unmutated one is accepted.
     */
    @Property
    void authSys_mutatedCredential_deniedOrGarbageOnly(@ForAll("authSys") Credential.AuthSys cred,
            @ForAll @IntRange(min = 0, max = 80) int word, @ForAll("edges") int value,
            @ForAll @IntRange(min = -8, max = 8) int resize) {
        ByteBuf valid = Unpooled.buffer();
        Authentication.writeCredential(new XdrEncoder(valid), cred);
        byte[] bytes = new byte[valid.readableBytes()];
        valid.readBytes(bytes);
        valid.release();
        int at = 8 + 4 * word; // past flavor and length
        if (at + 4 <= bytes.length) {
            bytes[at] = (byte) (value >>> 24);
            bytes[at + 1] = (byte) (value >>> 16);
            bytes[at + 2] = (byte) (value >>> 8);
            bytes[at + 3] = (byte) value;
        }
        bytes = Arrays.copyOf(bytes, Math.max(8, bytes.length + resize));
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(bytes);
        new XdrEncoder(buf).writeInt(RpcMessages.AUTH_NONE).writeInt(0);
        try {
            Authentication.readCredentialAndVerifier(new XdrDecoder(buf));
        } catch (Authentication.AuthException | XdrException expected) {
            // fine
        } finally {
            buf.release();
        }
    }

    @Provide
    Arbitrary<Integer> edges() {
        return Arbitraries.oneOf(Arbitraries.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 16, 17, 255, 256, 1 << 20,
                0x40000000), Arbitraries.integers());
    }

    /** Every valid AUTH_SYS credential reads back as written. */
    @Property
    void authSys_roundTrip(@ForAll("authSys") Credential.AuthSys cred) throws Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            Authentication.writeCredential(new XdrEncoder(buf), cred);
            new XdrEncoder(buf).writeInt(RpcMessages.AUTH_NONE).writeInt(0);
            Credential back = Authentication.readCredentialAndVerifier(new XdrDecoder(buf));
            assertThat(back).isInstanceOfSatisfying(Credential.AuthSys.class, s -> {
                assertThat(s.uid()).isEqualTo(cred.uid());
                assertThat(s.gid()).isEqualTo(cred.gid());
                assertThat(s.machineName()).isEqualTo(cred.machineName());
                assertThat(Arrays.equals(s.gids(), cred.gids())).isTrue();
            });
        } finally {
            buf.release();
        }
    }

    @Provide
    Arbitrary<Credential.AuthSys> authSys() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.strings().ascii().ofMaxLength(255),
                Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.integers().array(int[].class).ofMaxSize(16))
                .as(Credential.AuthSys::new);
    }
}

package org.jnfsd.protocol.xdr;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * Reads XDR (RFC 4506) from a {@link ByteBuf}. Every variable-length item is checked against the
 * bytes remaining and against a caller-given limit before anything is allocated; a violation
 * throws {@link XdrException}, never an IndexOutOfBoundsException.
 *
 * <p>The decoder does not own the buffer: whoever created the decoder releases it. Slices returned
 * by {@link #readOpaqueSlice(int)} are not retained and live only as long as that buffer.
 *
 * <p>Not thread-safe; one decoder per message.
 */
public final class XdrDecoder {
    private final ByteBuf buf;

    public XdrDecoder(ByteBuf buf) {
        this.buf = buf;
    }

    public int remaining() {
        return buf.readableBytes();
    }

    public boolean hasRemaining() {
        return buf.isReadable();
    }

    public ByteBuf buffer() {
        return buf;
    }

    public int readInt() {
        need(4);
        return buf.readInt();
    }

    /** An unsigned 32-bit value, widened. */
    public long readUnsignedInt() {
        need(4);
        return buf.readUnsignedInt();
    }

    public long readLong() {
        need(8);
        return buf.readLong();
    }

    public boolean readBool() {
        int v = readInt();
        if (v == 0) {
            return false;
        }
        if (v == 1) {
            return true;
        }
        throw new XdrException("bool with value " + v);
    }

    /** A variable-length opaque of at most {@code maxLength} bytes, copied. */
    public byte[] readOpaque(int maxLength) {
        int len = readLength(maxLength, "opaque");
        return readFixedOpaque(len);
    }

    /** A variable-length opaque as a slice of the underlying buffer (not retained). */
    public ByteBuf readOpaqueSlice(int maxLength) {
        int len = readLength(maxLength, "opaque");
        need(padded(len));
        ByteBuf slice = buf.readSlice(len);
        buf.skipBytes(padded(len) - len);
        return slice;
    }

    public byte[] readFixedOpaque(int length) {
        if (length < 0) {
            throw new XdrException("negative fixed opaque length " + length);
        }
        need(padded(length));
        byte[] out = new byte[length];
        buf.readBytes(out);
        buf.skipBytes(padded(length) - length);
        return out;
    }

    /** A UTF-8 string of at most {@code maxLength} bytes; malformed UTF-8 gives NFS4ERR_INVAL. */
    public String readUtf8(int maxLength) {
        byte[] bytes = readOpaque(maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new XdrException(NfsStatus.NFS4ERR_INVAL, "string is not UTF-8");
        }
    }

    /** A string decoded as ASCII/Latin-1 without validation (machine names, tags). */
    public String readAscii(int maxLength) {
        return new String(readOpaque(maxLength), StandardCharsets.ISO_8859_1);
    }

    /**
     * The length prefix of an array whose elements take at least {@code minElementBytes} each;
     * checked against {@code maxCount} and against what the remaining bytes can hold.
     */
    public int readArrayLength(int maxCount, int minElementBytes) {
        int n = readInt();
        if (n < 0 || n > maxCount) {
            throw new XdrException("array of " + Integer.toUnsignedString(n) + " elements, limit " + maxCount);
        }
        if ((long) n * minElementBytes > buf.readableBytes()) {
            throw new XdrException("array of " + n + " elements exceeds the " + buf.readableBytes() + " bytes left");
        }
        return n;
    }

    /** A bitmap4: an array of 32-bit words, at most {@code maxWords}. */
    public int[] readBitmap(int maxWords) {
        int n = readArrayLength(maxWords, 4);
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = buf.readInt();
        }
        return words;
    }

    public void skip(int bytes) {
        need(bytes);
        buf.skipBytes(bytes);
    }

    private int readLength(int max, String what) {
        int len = readInt();
        if (len < 0 || len > max) {
            throw new XdrException(what + " of " + Integer.toUnsignedString(len) + " bytes, limit " + max);
        }
        if (padded(len) > buf.readableBytes()) {
            throw new XdrException(what + " of " + len + " bytes exceeds the " + buf.readableBytes() + " bytes left");
        }
        return len;
    }

    private void need(int n) {
        if (buf.readableBytes() < n) {
            throw new XdrException("needed " + n + " bytes, " + buf.readableBytes() + " left");
        }
    }

    public static int padded(int len) {
        return (len + 3) & ~3;
    }
}

package org.jnfsd.protocol.xdr;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes XDR (RFC 4506) into a {@link ByteBuf}. The encoder does not own the buffer.
 * Not thread-safe; one encoder per message.
 */
public final class XdrEncoder {
    private static final byte[] PAD = new byte[3];
    private final ByteBuf buf;

    public XdrEncoder(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    /** Current write position, for {@link #setInt} patches and size accounting. */
    public int position() {
        return buf.writerIndex();
    }

    public XdrEncoder writeInt(int v) {
        buf.writeInt(v);
        return this;
    }

    public XdrEncoder writeLong(long v) {
        buf.writeLong(v);
        return this;
    }

    public XdrEncoder writeBool(boolean v) {
        buf.writeInt(v ? 1 : 0);
        return this;
    }

    public XdrEncoder writeOpaque(byte[] data) {
        buf.writeInt(data.length);
        return writeFixedOpaque(data);
    }

    public XdrEncoder writeOpaque(byte[] data, int offset, int length) {
        buf.writeInt(length);
        buf.writeBytes(data, offset, length);
        buf.writeBytes(PAD, 0, XdrDecoder.padded(length) - length);
        return this;
    }

    /** Writes the readable bytes of {@code data} as a variable-length opaque; does not release it. */
    public XdrEncoder writeOpaque(ByteBuf data) {
        int length = data.readableBytes();
        buf.writeInt(length);
        buf.writeBytes(data, data.readerIndex(), length);
        buf.writeBytes(PAD, 0, XdrDecoder.padded(length) - length);
        return this;
    }

    public XdrEncoder writeFixedOpaque(byte[] data) {
        buf.writeBytes(data);
        buf.writeBytes(PAD, 0, XdrDecoder.padded(data.length) - data.length);
        return this;
    }

    public XdrEncoder writeUtf8(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    public XdrEncoder writeAscii(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public XdrEncoder writeBitmap(int[] words) {
        buf.writeInt(words.length);
        for (int w : words) {
            buf.writeInt(w);
        }
        return this;
    }

    /** Overwrites the 4 bytes at {@code position} (a placeholder written earlier). */
    public void setInt(int position, int v) {
        buf.setInt(position, v);
    }

    /** Writes a placeholder int and returns its position. */
    public int reserveInt() {
        int p = buf.writerIndex();
        buf.writeInt(0);
        return p;
    }

    /** Pads with zeroes to a 4-byte boundary after raw bytes were written directly. */
    public void pad(int rawLength) {
        buf.writeBytes(PAD, 0, XdrDecoder.padded(rawLength) - rawLength);
    }
}

package org.jnfsd.protocol.nfs4;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * fattr4 on the wire: an attribute bitmap and the XDR of those attributes' values, still encoded.
 * Interpreting the values is the attribute codec's job in core.
 */
public record Fattr4(int[] mask, byte[] values) {
    /** Most attribute masks fit in 3 words; we accept a few more and ignore unknown high bits. */
    public static final int MAX_MASK_WORDS = 8;
    public static final int MAX_VALUES_BYTES = 64 * 1024;

    public static final Fattr4 EMPTY = new Fattr4(new int[0], new byte[0]);

    public static Fattr4 decode(XdrDecoder in) {
        int[] mask = in.readBitmap(MAX_MASK_WORDS);
        return new Fattr4(mask, in.readOpaque(MAX_VALUES_BYTES));
    }

    public void encode(XdrEncoder out) {
        out.writeBitmap(mask).writeOpaque(values);
    }
}

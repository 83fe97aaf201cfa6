package org.jnfsd.protocol.nfs4.xattr;

import java.nio.charset.StandardCharsets;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** Decoding limits of xattrkey4 (a component4) and xattrvalue4. */
final class XattrKey {
    /** Larger than any name limit, so that a long name is NFS4ERR_NAMETOOLONG, not BADXDR. */
    static final int MAX_NAME_BYTES = 8192;
    /** XATTR_SIZE_MAX: a longer value is NFS4ERR_XATTR2BIG (RFC 8276 §8.4.2.4), as knfsd decides while decoding. */
    static final int MAX_VALUE_BYTES = 65536;

    private XattrKey() {}

    static byte[] decode(XdrDecoder in) {
        return in.readOpaque(MAX_NAME_BYTES);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

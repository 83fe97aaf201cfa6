package org.jnfsd.protocol.nfs4.namespace;

import java.nio.charset.StandardCharsets;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * Decoding limits for component4 names. Names stay raw bytes in the argument records: whether they
 * are UTF-8, too long or reserved is the operation's verdict (NFS4ERR_INVAL, NAMETOOLONG, BADNAME),
 * not a decoding error.
 */
final class Component {
    /** Larger than any backend's name limit so that long names give NFS4ERR_NAMETOOLONG, not BADXDR. */
    static final int MAX_BYTES = 8192;

    private Component() {}

    static byte[] decode(XdrDecoder in) {
        return in.readOpaque(MAX_BYTES);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

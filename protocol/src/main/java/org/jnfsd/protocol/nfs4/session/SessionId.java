package org.jnfsd.protocol.nfs4.session;

import java.util.Arrays;
import java.util.HexFormat;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** sessionid4: 16 opaque bytes. Immutable; equality by content, so it is a safe map key. */
public final class SessionId {
    public static final int SIZE = 16;
    private final byte[] bytes;

    public SessionId(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("sessionid4 must be 16 bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public static SessionId decode(XdrDecoder in) {
        return new SessionId(in.readFixedOpaque(SIZE));
    }

    public void encode(XdrEncoder out) {
        out.writeFixedOpaque(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionId s && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SessionId[" + HexFormat.of().formatHex(bytes) + "]";
    }
}

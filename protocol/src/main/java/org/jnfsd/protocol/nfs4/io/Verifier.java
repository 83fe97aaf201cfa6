package org.jnfsd.protocol.nfs4.io;

import java.util.Arrays;
import java.util.HexFormat;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** verifier4: 8 opaque bytes (exclusive create, WRITE/COMMIT write verifier). */
public record Verifier(byte[] bytes) {
    public static final int SIZE = 8;

    public Verifier {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("verifier of " + bytes.length + " bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public static Verifier decode(XdrDecoder in) {
        return new Verifier(in.readFixedOpaque(SIZE));
    }

    public void encode(XdrEncoder out) {
        out.writeFixedOpaque(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verifier v && Arrays.equals(v.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Verifier[" + HexFormat.of().formatHex(bytes) + "]";
    }
}

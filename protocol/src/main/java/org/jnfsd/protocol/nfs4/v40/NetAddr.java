package org.jnfsd.protocol.nfs4.v40;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * netaddr4 / clientaddr4 (RFC 7530 §3.3.9): a netid ("tcp", "tcp6") and a universal address
 * ("10.77.0.2.3.116" is port 3 × 256 + 116 of 10.77.0.2).
 */
public record NetAddr(String netid, String uaddr) {
    /** Longest netid and universal address accepted (an IPv6 universal address is under 64 bytes). */
    public static final int MAX_LENGTH = 128;
    public static final NetAddr NONE = new NetAddr("", "");

    public static NetAddr decode(XdrDecoder in) {
        return new NetAddr(in.readAscii(MAX_LENGTH), in.readAscii(MAX_LENGTH));
    }

    public void encode(XdrEncoder out) {
        out.writeAscii(netid).writeAscii(uaddr);
    }
}

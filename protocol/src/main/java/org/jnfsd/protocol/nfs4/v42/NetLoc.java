package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** netloc4: a server name, URL, or network address (netid and universal address). */
public record NetLoc(int type, String name, String netId, String addr) {
    public static final int NL4_NAME = 1;
    public static final int NL4_URL = 2;
    public static final int NL4_NETADDR = 3;
    private static final int MAX = 1024;

    public static NetLoc name(String name) {
        return new NetLoc(NL4_NAME, name, null, null);
    }

    public static NetLoc decode(XdrDecoder in) {
        int type = in.readInt();
        return switch (type) {
            case NL4_NAME, NL4_URL -> new NetLoc(type, in.readUtf8(MAX), null, null);
            case NL4_NETADDR -> new NetLoc(type, null, in.readAscii(MAX), in.readAscii(MAX));
            default -> throw new XdrException("netloc_type4 " + type);
        };
    }

    public void encode(XdrEncoder out) {
        out.writeInt(type);
        if (type == NL4_NETADDR) {
            out.writeAscii(netId).writeAscii(addr);
        } else {
            out.writeUtf8(name);
        }
    }
}

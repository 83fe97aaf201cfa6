package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** server_owner4: identifies the server for trunking (RFC 8881 §2.5). */
public record ServerOwner(long minorId, byte[] majorId) {
    public static final int MAX_MAJOR_ID = 1024;

    public ServerOwner {
        majorId = majorId.clone();
    }

    @Override
    public byte[] majorId() {
        return majorId.clone();
    }

    public static ServerOwner decode(XdrDecoder in) {
        return new ServerOwner(in.readLong(), in.readOpaque(MAX_MAJOR_ID));
    }

    public void encode(XdrEncoder out) {
        out.writeLong(minorId).writeOpaque(majorId);
    }
}

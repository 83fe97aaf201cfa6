package org.jnfsd.protocol.nfs4.io;

import java.util.Arrays;
import java.util.HexFormat;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** open_owner4 (and state_owner4): the client id and up to {@link #MAX_OWNER} opaque bytes. */
public record OpenOwner(long clientId, byte[] owner) {
    /** NFS4_OPAQUE_LIMIT. */
    public static final int MAX_OWNER = 1024;

    public OpenOwner {
        if (owner.length > MAX_OWNER) {
            throw new IllegalArgumentException("owner of " + owner.length + " bytes");
        }
        owner = owner.clone();
    }

    @Override
    public byte[] owner() {
        return owner.clone();
    }

    public static OpenOwner decode(XdrDecoder in) {
        long clientId = in.readLong();
        return new OpenOwner(clientId, in.readOpaque(MAX_OWNER));
    }

    public void encode(XdrEncoder out) {
        out.writeLong(clientId).writeOpaque(owner);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenOwner x && x.clientId == clientId && Arrays.equals(x.owner, owner);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(clientId) * 31 + Arrays.hashCode(owner);
    }

    @Override
    public String toString() {
        return "OpenOwner[" + Long.toHexString(clientId) + ":" + HexFormat.of().formatHex(owner) + "]";
    }
}

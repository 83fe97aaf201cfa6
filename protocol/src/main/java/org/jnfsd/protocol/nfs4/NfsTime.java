package org.jnfsd.protocol.nfs4;

import java.time.Instant;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** nfstime4: seconds (signed 64-bit) and nanoseconds (below 1e9). */
public record NfsTime(long seconds, int nseconds) {
    public static NfsTime of(Instant t) {
        return new NfsTime(t.getEpochSecond(), t.getNano());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(seconds, nseconds);
    }

    public static NfsTime decode(XdrDecoder in) {
        long s = in.readLong();
        long ns = in.readUnsignedInt();
        if (ns >= 1_000_000_000L) {
            throw new org.jnfsd.protocol.xdr.XdrException(NfsStatus.NFS4ERR_INVAL, "nseconds " + ns);
        }
        return new NfsTime(s, (int) ns);
    }

    public void encode(XdrEncoder out) {
        out.writeLong(seconds).writeInt(nseconds);
    }
}

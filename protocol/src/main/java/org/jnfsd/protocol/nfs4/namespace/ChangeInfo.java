package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * change_info4: a directory's change attribute before and after an operation. {@code atomic} is
 * true only when nothing else can have changed the directory between the two readings.
 */
public record ChangeInfo(boolean atomic, long before, long after) {
    public static ChangeInfo decode(XdrDecoder in) {
        return new ChangeInfo(in.readBool(), in.readLong(), in.readLong());
    }

    public void encode(XdrEncoder out) {
        out.writeBool(atomic).writeLong(before).writeLong(after);
    }
}

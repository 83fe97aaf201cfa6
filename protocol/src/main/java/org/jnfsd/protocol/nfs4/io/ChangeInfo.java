package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** change_info4: a directory's change attribute before and after an operation. */
public record ChangeInfo(boolean atomic, long before, long after) {
    public static ChangeInfo decode(XdrDecoder in) {
        boolean atomic = in.readBool();
        long before = in.readLong();
        return new ChangeInfo(atomic, before, in.readLong());
    }

    public void encode(XdrEncoder out) {
        out.writeBool(atomic).writeLong(before).writeLong(after);
    }
}

package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** nfsace4: one ACL entry (here: a delegation's permissions). */
public record Ace(int type, int flag, int accessMask, String who) {
    public static final int MAX_WHO = 1024;

    public static Ace decode(XdrDecoder in) {
        int type = in.readInt();
        int flag = in.readInt();
        int mask = in.readInt();
        return new Ace(type, flag, mask, in.readUtf8(MAX_WHO));
    }

    public void encode(XdrEncoder out) {
        out.writeInt(type).writeInt(flag).writeInt(accessMask).writeUtf8(who);
    }
}

package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LOCK4denied: one conflicting lock, its range (length all ones: to end of file), type and owner. */
public record LockDenied(long offset, long length, LockType type, OpenOwner owner) {
    public static LockDenied decode(XdrDecoder in) {
        long offset = in.readLong();
        long length = in.readLong();
        LockType type = LockType.fromCode(in.readInt());
        return new LockDenied(offset, length, type, OpenOwner.decode(in));
    }

    public void encode(XdrEncoder out) {
        out.writeLong(offset);
        out.writeLong(length);
        out.writeInt(type.code());
        owner.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * LOCK4args. Offset and length are unsigned 64-bit values carried in longs; a length of all ones
 * means "to the end of the file". The result is a {@link LockCodecs#decodeLock LOCK4res}.
 */
public record LockArgs(LockType type, boolean reclaim, long offset, long length, Locker locker) implements OpArgs {
    public static LockArgs decode(XdrDecoder in) {
        LockType type = LockType.fromCode(in.readInt());
        boolean reclaim = in.readBool();
        long offset = in.readLong();
        long length = in.readLong();
        return new LockArgs(type, reclaim, offset, length, Locker.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOCK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(type.code());
        out.writeBool(reclaim);
        out.writeLong(offset);
        out.writeLong(length);
        locker.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LOCKT4args; the result is OK or a {@link LockDeniedResult}. */
public record LocktArgs(LockType type, long offset, long length, OpenOwner owner) implements OpArgs {
    public static LocktArgs decode(XdrDecoder in) {
        LockType type = LockType.fromCode(in.readInt());
        long offset = in.readLong();
        long length = in.readLong();
        return new LocktArgs(type, offset, length, OpenOwner.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOCKT;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(type.code());
        out.writeLong(offset);
        out.writeLong(length);
        owner.encode(out);
    }
}

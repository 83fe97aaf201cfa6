package org.jnfsd.protocol.nfs4.xattr;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LISTXATTRS4args: where to resume (0 = from the start) and how many bytes the reply may take. */
public record ListxattrsArgs(long cookie, int maxCount) implements OpArgs {
    public static ListxattrsArgs decode(XdrDecoder in) {
        return new ListxattrsArgs(in.readLong(), in.readInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.LISTXATTRS;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(cookie).writeInt(maxCount);
    }
}

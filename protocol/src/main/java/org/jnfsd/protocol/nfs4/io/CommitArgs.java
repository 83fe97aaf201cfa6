package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** COMMIT4args: offset (unsigned 64) and count (unsigned 32, widened; 0 means to end of file). */
public record CommitArgs(long offset, long count) implements OpArgs {
    public static CommitArgs decode(XdrDecoder in) {
        long offset = in.readLong();
        return new CommitArgs(offset, in.readUnsignedInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.COMMIT;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(offset).writeInt((int) count);
    }
}

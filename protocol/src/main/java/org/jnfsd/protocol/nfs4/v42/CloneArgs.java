package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CLONE4args (saved FH is the source, current FH the destination); the result is a status only. */
public record CloneArgs(StateId srcStateId, StateId dstStateId, long srcOffset, long dstOffset, long count)
        implements OpArgs {
    public static CloneArgs decode(XdrDecoder in) {
        return new CloneArgs(StateId.decode(in), StateId.decode(in), in.readLong(), in.readLong(), in.readLong());
    }

    @Override
    public Opcode opcode() {
        return Opcode.CLONE;
    }

    @Override
    public void encode(XdrEncoder out) {
        srcStateId.encode(out);
        dstStateId.encode(out);
        out.writeLong(srcOffset).writeLong(dstOffset).writeLong(count);
    }
}

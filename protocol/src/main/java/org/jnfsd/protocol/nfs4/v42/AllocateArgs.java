package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** ALLOCATE4args; the result is a status only. */
public record AllocateArgs(StateId stateId, long offset, long length) implements OpArgs {
    public static AllocateArgs decode(XdrDecoder in) {
        return new AllocateArgs(StateId.decode(in), in.readLong(), in.readLong());
    }

    @Override
    public Opcode opcode() {
        return Opcode.ALLOCATE;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        out.writeLong(offset).writeLong(length);
    }
}

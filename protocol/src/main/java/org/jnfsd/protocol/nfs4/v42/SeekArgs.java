package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SEEK4args. */
public record SeekArgs(StateId stateId, long offset, DataContent what) implements OpArgs {
    public static SeekArgs decode(XdrDecoder in) {
        return new SeekArgs(StateId.decode(in), in.readLong(), DataContent.fromCode(in.readInt()));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SEEK;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
        out.writeLong(offset).writeInt(what.code());
    }
}

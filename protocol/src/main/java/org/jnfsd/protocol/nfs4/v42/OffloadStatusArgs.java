package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** OFFLOAD_STATUS4args: the stateid of an asynchronous copy. */
public record OffloadStatusArgs(StateId stateId) implements OpArgs {
    public static OffloadStatusArgs decode(XdrDecoder in) {
        return new OffloadStatusArgs(StateId.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.OFFLOAD_STATUS;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
    }
}

package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** OFFLOAD_CANCEL4args: the stateid of an asynchronous copy. */
public record OffloadCancelArgs(StateId stateId) implements OpArgs {
    public static OffloadCancelArgs decode(XdrDecoder in) {
        return new OffloadCancelArgs(StateId.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.OFFLOAD_CANCEL;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
    }
}

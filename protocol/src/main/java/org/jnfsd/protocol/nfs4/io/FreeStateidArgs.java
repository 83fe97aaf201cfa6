package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** FREE_STATEID4args; the result is status only ({@code StatusResult}). */
public record FreeStateidArgs(StateId stateId) implements OpArgs {
    public static FreeStateidArgs decode(XdrDecoder in) {
        return new FreeStateidArgs(StateId.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.FREE_STATEID;
    }

    @Override
    public void encode(XdrEncoder out) {
        stateId.encode(out);
    }
}

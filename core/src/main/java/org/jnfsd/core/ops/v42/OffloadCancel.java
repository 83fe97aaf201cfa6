package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.protocol.nfs4.v42.OffloadCancelArgs;

/**
 * OFFLOAD_CANCEL (RFC 7862 §15.8): stops an asynchronous copy of this client (one that finished
 * already is left as it is); a stateid that names none is NFS4ERR_BAD_STATEID.
 */
final class OffloadCancel implements Operation<OffloadCancelArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.OFFLOAD_CANCEL;
    }

    @Override
    public OffloadCancelArgs decode(XdrDecoder in) {
        return OffloadCancelArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, OffloadCancelArgs args) throws NfsException {
        AsyncCopy copy = ctx.server().copies().find(ctx.clientId(), args.stateId());
        copy.cancel();
        return StatusResult.OK;
    }
}

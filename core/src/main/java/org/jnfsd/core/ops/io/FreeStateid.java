package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.FreeStateidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * FREE_STATEID (RFC 8881 §18.38), routed by the stateid's kind ({@code StateIdRegistry}): a lock
 * stateid without locks is freed (LOCKS_HELD while it has some); a valid open
 * stateid goes with CLOSE: NFS4ERR_LOCKS_HELD (as knfsd answers); a revoked one is freed; an
 * invalid one gives its validation error.
 */
final class FreeStateid implements Operation<FreeStateidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.FREE_STATEID;
    }

    @Override
    public FreeStateidArgs decode(XdrDecoder in) {
        return FreeStateidArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, FreeStateidArgs args) throws NfsException {
        StateId stateId = ctx.resolveStateId(args.stateId());
        NfsStatus status = ctx.server().state().free(ctx.clientId(), stateId);
        if (!status.isOk()) {
            throw new NfsException(status, "FREE_STATEID " + stateId);
        }
        return org.jnfsd.protocol.nfs4.StatusResult.OK;
    }
}

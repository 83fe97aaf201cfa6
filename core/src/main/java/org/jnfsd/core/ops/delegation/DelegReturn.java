package org.jnfsd.core.ops.delegation;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * DELEGRETURN (RFC 8881 §18.6): returns the delegation on the current filehandle; a revoked one
 * answers NFS4ERR_DELEG_REVOKED (the client then frees it with FREE_STATEID).
 */
final class DelegReturn implements Operation<DelegreturnArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.DELEGRETURN;
    }

    @Override
    public DelegreturnArgs decode(XdrDecoder in) {
        return DelegreturnArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, DelegreturnArgs args) throws NfsException {
        StateId stateId = ctx.resolveStateId(args.stateId());
        NfsStatus status = ctx.server().delegations().delegReturn(ctx.clientId(), ctx.currentFh(), stateId);
        if (!status.isOk()) {
            throw new NfsException(status, "DELEGRETURN " + stateId);
        }
        ctx.server().counters().increment(ServerEvent.DELEGATION_RETURNED);
        return StatusResult.OK;
    }
}

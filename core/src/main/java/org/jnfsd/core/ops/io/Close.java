package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * CLOSE (RFC 8881 §18.2): drops the open the stateid names on the current file. The seqid argument
 * is ignored in 4.1; the reply carries the special invalid stateid (§18.2.4), as knfsd sends, and
 * that becomes the current stateid.
 * While a lock stateid of the open holds locks: NFS4ERR_LOCKS_HELD; otherwise its lock stateids
 * go with it.
 */
final class Close implements Operation<CloseArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.CLOSE;
    }

    @Override
    public CloseArgs decode(XdrDecoder in) {
        return CloseArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, CloseArgs args) throws NfsException {
        StateId stateId = ctx.resolveStateId(args.openStateId());
        ctx.server().state().close(ctx.clientId(), stateId, ctx.currentFh());
        ctx.setCurrentStateId(StateId.INVALID);
        return new StateIdResult(StateId.INVALID);
    }
}

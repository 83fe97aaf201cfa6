package org.jnfsd.core.ops.session;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * RECLAIM_COMPLETE (RFC 8881 §18.51). With rca_one_fs false: the first is OK, a second
 * NFS4ERR_COMPLETE_ALREADY; the grace period learns that this client reclaims no more (and ends
 * early once every client that may reclaim has said so). With rca_one_fs true (per file system,
 * for migration): OK, not tracked.
 * Needs SEQUENCE (the engine refuses it as the first operation).
 */
final class ReclaimComplete implements Operation<ReclaimCompleteArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.RECLAIM_COMPLETE;
    }

    @Override
    public ReclaimCompleteArgs decode(XdrDecoder in) {
        return ReclaimCompleteArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ReclaimCompleteArgs args) throws NfsException {
        Session session = SessionRules.currentSession(ctx);
        if (!args.oneFs()) {
            ctx.server().sessions().reclaimComplete(session.client());
            ctx.server().grace().reclaimComplete(session.client().id().value(), session.client().ownerId());
        }
        return StatusResult.OK;
    }
}

package org.jnfsd.core.ops.session;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.recovery.RecoveryStoreException;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * RECLAIM_COMPLETE (RFC 8881 §18.51). With rca_one_fs false: the first is OK, a second
 * NFS4ERR_COMPLETE_ALREADY; the grace period learns that this client reclaims no more (and ends
 * early once every client that may reclaim has said so), and the client is recorded in the
 * recovery store, so that a restart waits for it even if it never opens a file. With rca_one_fs true (per file system,
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
            ClientRecord client = session.client();
            // recorded first, as knfsd records a 4.1 client at RECLAIM_COMPLETE: every client that
            // may open after this is one a restart waits for, opens or not (a store that cannot
            // write answers DELAY, and the client retries a RECLAIM_COMPLETE not yet counted)
            if (!ctx.server().sessions().reclaimCompleted(client)) {
                try {
                    ctx.server().grace().stateGranted(client.id().value(), client.ownerId(),
                            client.principal().name(), false);
                } catch (RecoveryStoreException e) {
                    throw new NfsException(NfsStatus.NFS4ERR_DELAY, "the recovery store cannot record the client", e);
                }
            }
            ctx.server().sessions().reclaimComplete(client);
            ctx.server().grace().reclaimComplete(client.id().value(), client.ownerId());
        }
        return StatusResult.OK;
    }
}

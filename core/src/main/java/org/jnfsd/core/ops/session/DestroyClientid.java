package org.jnfsd.core.ops.session;

import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * DESTROY_CLIENTID (RFC 8881 §18.50): NFS4ERR_CLIENTID_BUSY while the client has a session (which
 * includes the session of a SEQUENCE in front of it) or, with an unexpired lease, any state
 * (opens now; locks and delegations through their teardown hooks); NFS4ERR_STALE_CLIENTID for an unknown or
 * previous-instance clientid; otherwise the record is destroyed and its state released.
 */
final class DestroyClientid implements Operation<DestroyClientidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.DESTROY_CLIENTID;
    }

    @Override
    public DestroyClientidArgs decode(XdrDecoder in) {
        return DestroyClientidArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, DestroyClientidArgs args) throws NfsException {
        SessionRules.requireAloneWithoutSequence(ctx, opcode());
        ClientRecord destroyed = ctx.server().sessions().destroyClient(args.clientId(),
                ctx.server().teardown()::hasState);
        SessionRules.releaseClients(ctx, List.of(destroyed));
        return StatusResult.OK;
    }
}

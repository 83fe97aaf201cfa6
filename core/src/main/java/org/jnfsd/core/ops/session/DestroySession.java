package org.jnfsd.core.ops.session;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * DESTROY_SESSION (RFC 8881 §18.37). Without SEQUENCE it must be alone; under SEQUENCE of the same
 * session it must be the last operation (else NFS4ERR_NOT_ONLY_OP). The session stops accepting
 * SEQUENCE at once and is destroyed when its last slot in use is released, which for the session
 * of this very COMPOUND is when the engine completes it. Without a SEQUENCE of the session being
 * destroyed, the connection must be bound to it (NFS4ERR_CONN_NOT_BOUND_TO_SESSION, §18.37.3).
 */
final class DestroySession implements Operation<DestroySessionArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.DESTROY_SESSION;
    }

    @Override
    public DestroySessionArgs decode(XdrDecoder in) {
        return DestroySessionArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, DestroySessionArgs args) throws NfsException {
        SessionRules.requireAloneWithoutSequence(ctx, opcode());
        if (ctx.session() instanceof Session current && current.id().equals(args.sessionId())
                && ctx.opIndex() != ctx.numOps() - 1) {
            throw new NfsException(NfsStatus.NFS4ERR_NOT_ONLY_OP,
                    "DESTROY_SESSION of the COMPOUND's own session must be its last operation");
        }
        SessionManager sessions = ctx.server().sessions();
        Session target = sessions.session(args.sessionId());
        boolean underItsOwnSequence = ctx.session() instanceof Session current && current.id().equals(args.sessionId());
        if (!underItsOwnSequence && ctx.connection() != null && !target.isBound(ctx.connection())) {
            // RFC 8881 §18.37.3: without a SEQUENCE of that session, only a connection bound to it may
            throw new NfsException(NfsStatus.NFS4ERR_CONN_NOT_BOUND_TO_SESSION,
                    "DESTROY_SESSION of " + target + " on a connection not bound to it");
        }
        sessions.destroySession(target);
        return StatusResult.OK;
    }
}

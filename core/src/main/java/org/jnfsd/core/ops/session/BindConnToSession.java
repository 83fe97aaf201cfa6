package org.jnfsd.core.ops.session;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.BindConnToSessionArgs;
import org.jnfsd.protocol.nfs4.session.BindConnToSessionResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * BIND_CONN_TO_SESSION (RFC 8881 §18.34): must be alone in its COMPOUND; binds the connection it
 * arrived on for the fore channel, the back channel, or both (the _OR_BOTH directions get both).
 * RDMA mode is never used.
 */
final class BindConnToSession implements Operation<BindConnToSessionArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.BIND_CONN_TO_SESSION;
    }

    @Override
    public BindConnToSessionArgs decode(XdrDecoder in) {
        return BindConnToSessionArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, BindConnToSessionArgs args) throws NfsException {
        if (ctx.numOps() != 1) {
            throw new NfsException(NfsStatus.NFS4ERR_NOT_ONLY_OP, "BIND_CONN_TO_SESSION must be alone");
        }
        ChannelDirection dir;
        int reply;
        switch (args.dir()) {
            case BindConnToSessionArgs.CDFC4_FORE -> {
                dir = ChannelDirection.FORE;
                reply = BindConnToSessionResult.CDFS4_FORE;
            }
            case BindConnToSessionArgs.CDFC4_BACK -> {
                dir = ChannelDirection.BACK;
                reply = BindConnToSessionResult.CDFS4_BACK;
            }
            case BindConnToSessionArgs.CDFC4_FORE_OR_BOTH, BindConnToSessionArgs.CDFC4_BACK_OR_BOTH -> {
                dir = ChannelDirection.BOTH;
                reply = BindConnToSessionResult.CDFS4_BOTH;
            }
            default -> throw new NfsException(NfsStatus.NFS4ERR_INVAL, "channel direction " + args.dir());
        }
        Session session = ctx.server().sessions().session(args.sessionId());
        session.bind(ctx.connection(), dir);
        if (dir.carriesBack() && ctx.connection() != null) {
            // re-probe: the client binds a back connection after CB_PATH_DOWN (row 08)
            ctx.server().callbacks().backChannelBound(session, ctx.connection(), ctx.minorVersion());
            // recalls the client could not hear before go again over it (RFC 8881 §2.10.13, §20.7)
            SessionRules.resendRecallsWhenUp(ctx, session.client().id().value());
        }
        return new BindConnToSessionResult(session.id(), reply, false);
    }
}

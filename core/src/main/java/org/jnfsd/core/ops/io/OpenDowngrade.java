package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenDowngradeArgs;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * OPEN_DOWNGRADE (RFC 8881 §18.18): reduces an open's access and deny to a subset (NFS4ERR_INVAL
 * otherwise); the stateid's seqid goes up by one and becomes the current stateid. The 4.1 want
 * bits of share_access are ignored.
 */
final class OpenDowngrade implements Operation<OpenDowngradeArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.OPEN_DOWNGRADE;
    }

    @Override
    public OpenDowngradeArgs decode(XdrDecoder in) {
        return OpenDowngradeArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, OpenDowngradeArgs args) throws NfsException {
        StateId stateId = ctx.resolveStateId(args.openStateId());
        int access = args.shareAccess() & ~(ShareAccess.WANT_DELEG_MASK | ShareAccess.WANT_SIGNAL_DELEG_WHEN_RESRC_AVAIL
                | ShareAccess.WANT_PUSH_DELEG_WHEN_UNCONTENDED);
        OpenShare open = ctx.server().opens().downgrade(ctx.clientId(), stateId, ctx.currentFh(), access,
                args.shareDeny());
        ctx.setCurrentStateId(open.stateId());
        return new StateIdResult(open.stateId());
    }
}

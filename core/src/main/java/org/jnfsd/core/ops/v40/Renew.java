package org.jnfsd.core.ops.v40;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * RENEW (RFC 7530 §16.29): renews the lease of a confirmed 4.0 client. The engine's 4.0 binding
 * ({@code V40Binding}) does the work, as for every operation that names a clientid: an unknown or
 * unconfirmed clientid is NFS4ERR_STALE_CLIENTID, an expired one NFS4ERR_EXPIRED; a courtesy
 * client becomes active again.
 *
 * <p>NFS4ERR_CB_PATH_DOWN while the client's callback channel is DOWN and it holds delegations
 * (RFC 7530 §16.29.5; knfsd's rule too): the client then returns its delegations and sends
 * SETCLIENTID again, whose confirmed callback update re-establishes the path. A client holding
 * none is not told: the Linux client would redo SETCLIENTID every lease for nothing.
 */
final class Renew implements Operation<RenewArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.RENEW;
    }

    @Override
    public RenewArgs decode(XdrDecoder in) {
        return RenewArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, RenewArgs args) throws NfsException {
        CallbackChannel ch = ctx.server().callbacks().channel(new ClientId(args.clientId()));
        if (ch != null && ch.state() == CallbackChannel.State.DOWN
                && !ctx.server().delegations().ofClient(args.clientId()).isEmpty()) {
            // the lease is renewed all the same (by the binding, before this ran): RFC 7530 §16.29.5
            throw new NfsException(NfsStatus.NFS4ERR_CB_PATH_DOWN, "the callback path of " + new ClientId(args.clientId())
                    + " is down and it holds delegations");
        }
        return StatusResult.OK;
    }
}

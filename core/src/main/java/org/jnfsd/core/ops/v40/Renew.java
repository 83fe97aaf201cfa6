package org.jnfsd.core.ops.v40;

import org.jnfsd.core.NfsException;
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
        return StatusResult.OK;
    }
}

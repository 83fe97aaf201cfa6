package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** RESTOREFH (RFC 8881 §18.26): NFS4ERR_RESTOREFH when nothing was saved. */
final class RestoreFh implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.RESTOREFH;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.RESTOREFH;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws NfsException {
        ctx.restoreFh();
        return StatusResult.OK;
    }
}

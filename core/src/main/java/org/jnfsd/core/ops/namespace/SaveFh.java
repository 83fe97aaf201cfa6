package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** SAVEFH (RFC 8881 §18.27): saves the current filehandle and stateid. */
final class SaveFh implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SAVEFH;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.SAVEFH;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws NfsException {
        ctx.saveFh();
        return StatusResult.OK;
    }
}

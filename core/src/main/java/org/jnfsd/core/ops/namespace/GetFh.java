package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** GETFH (RFC 8881 §18.8). */
final class GetFh implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.GETFH;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.GETFH;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws NfsException {
        return new GetFhResult(ctx.server().config().handleKey().seal(ctx.currentFh()));
    }
}

package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** PUTPUBFH (RFC 8881 §18.20): jnfsd's public filehandle is the root filehandle. */
final class PutPubFh implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.PUTPUBFH;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.PUTPUBFH;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws org.jnfsd.core.NfsException {
        ctx.setCurrentFh(PutRootFh.enterRoot(ctx));
        return StatusResult.OK;
    }
}

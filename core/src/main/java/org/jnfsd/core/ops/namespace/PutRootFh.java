package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** PUTROOTFH (RFC 8881 §18.21): the root of the first export is the pseudo-root. */
final class PutRootFh implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.PUTROOTFH;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.PUTROOTFH;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws org.jnfsd.core.NfsException {
        ctx.accessTo(ctx.server().exports().root());
        ctx.setCurrentFh(rootOf(ctx.server().exports().root()));
        return StatusResult.OK;
    }

    static FileHandle rootOf(Export export) {
        return new FileHandle(export.id(), export.fs().root());
    }
}

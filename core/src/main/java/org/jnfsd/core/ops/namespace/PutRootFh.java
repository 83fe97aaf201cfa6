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

/**
 * PUTROOTFH (RFC 8881 §18.21): the export at "/", or else the pseudo-root; NFS4ERR_ACCESS for a
 * client that may use none of the exports under it.
 */
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
        ctx.setCurrentFh(enterRoot(ctx));
        return StatusResult.OK;
    }

    /** The root's handle, once the client is found to be allowed in (PUTROOTFH, PUTPUBFH). */
    static FileHandle enterRoot(CompoundContext ctx) throws org.jnfsd.core.NfsException {
        Export root = ctx.server().exports().root();
        ctx.accessTo(root);
        return rootOf(root);
    }

    static FileHandle rootOf(Export export) {
        return new FileHandle(export.id(), export.fs().root());
    }
}

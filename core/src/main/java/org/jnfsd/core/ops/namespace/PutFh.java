package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * PUTFH (RFC 8881 §18.19). A malformed or over-long handle is NFS4ERR_BADHANDLE and an unknown
 * export NFS4ERR_STALE here; a handle whose object is gone is found STALE by the operation that
 * first uses it, as knfsd does, which saves a backend call per COMPOUND.
 */
final class PutFh implements Operation<PutFhArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.PUTFH;
    }

    @Override
    public PutFhArgs decode(XdrDecoder in) {
        return PutFhArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, PutFhArgs args) throws NfsException {
        FileHandle fh = FileHandle.fromBytes(args.fh());
        ctx.accessTo(ctx.server().exports().get(fh.exportId()));
        ctx.setCurrentFh(fh);
        return StatusResult.OK;
    }
}

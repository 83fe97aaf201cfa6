package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.Attributes;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stat;

/**
 * GETATTR (RFC 8881 §18.7): requested ∩ supported attributes of the current filehandle. Size,
 * change or time_modify of a file under another client's write delegation come from the holder
 * (CB_GETATTR, {@link org.jnfsd.core.delegation.GetattrConflict}), or NFS4ERR_DELAY. Right
 * after a LOOKUP, the attributes that LOOKUP read are used
 * ({@link CompoundContext#currentAttrsFromPreviousOp}); otherwise they are read from the backend.
 */
final class Getattr implements Operation<GetattrArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.GETATTR;
    }

    @Override
    public GetattrArgs decode(XdrDecoder in) {
        return GetattrArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, GetattrArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        int[] request = args.request();
        Attributes.checkReadable(request);
        Stat read = ctx.currentAttrsFromPreviousOp();
        var st = ctx.server().getattrConflict().resolve(ctx.requesterId(), fh, request,
                read != null ? read : Checks.stat(ctx.currentFs(), fh.inode()), ctx.currentFs());
        return new GetattrResult(Attributes.encode(request, Checks.attrSource(ctx, st, fh)));
    }
}

package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * LOOKUP (RFC 8881 §18.15): the current filehandle becomes the named entry. A symlink as the
 * current filehandle is NFS4ERR_SYMLINK, any other non-directory NFS4ERR_NOTDIR; searching needs
 * execute permission on the directory.
 */
final class Lookup implements Operation<LookupArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LOOKUP;
    }

    @Override
    public LookupArgs decode(XdrDecoder in) {
        return LookupArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, LookupArgs args) throws NfsException {
        FileHandle dir = ctx.currentFh();
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = Checks.stat(fs, dir.inode());
        Checks.requireDir(st);
        String name = Checks.name(args.name(), fs);
        Checks.maySearch(st, ctx.identity());
        ctx.setCurrentFh(new FileHandle(dir.exportId(), Checks.lookup(fs, dir.inode(), name)));
        return StatusResult.OK;
    }
}

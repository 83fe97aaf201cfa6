package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.LookupResult;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * LOOKUP (RFC 8881 §18.15): the current filehandle becomes the named entry. A symlink as the
 * current filehandle is NFS4ERR_SYMLINK, any other non-directory NFS4ERR_NOTDIR; searching needs
 * execute permission on the directory. The name is checked first, as knfsd's decoder does; the
 * directory's attributes for the type and permission checks come from the same backend call as
 * the search ({@link VirtualFileSystem#lookupWithDir}), and no entry is revealed before they pass.
 * The entry's attributes, when the backend read them, go with the new current filehandle for the
 * next operation ({@link CompoundContext#currentAttrsFromPreviousOp}): GETATTR after LOOKUP reads
 * nothing again, and LOOKUP after LOOKUP passes them as the directory's
 * ({@link VirtualFileSystem#lookupWithDir(org.jnfsd.vfs.Inode, org.jnfsd.vfs.Stat, String)}): the
 * local backend then stats only the name. In the pseudo-root, a name leading to no export the client may use is
 * NFS4ERR_NOENT, and an export's path crosses into that export's root ({@link Junctions}).
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
        String name = Checks.name(args.name(), fs);
        LookupResult found;
        try {
            found = fs.lookupWithDir(dir.inode(), ctx.currentAttrsFromPreviousOp(), name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        Checks.requireDir(found.dir());
        Checks.maySearch(found.dir(), ctx.identity());
        if (found.entry() == null) {
            throw new NfsException(NfsStatus.NFS4ERR_NOENT, "no " + name + " in the directory");
        }
        FileHandle next = Junctions.step(ctx, dir, found.entry(), name);
        if (next.exportId() == dir.exportId()) {
            ctx.setCurrentFh(next, found.entryAttrs());
        } else {
            ctx.setCurrentFh(next);
        }
        return StatusResult.OK;
    }
}

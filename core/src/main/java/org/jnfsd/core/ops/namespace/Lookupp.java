package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * LOOKUPP (RFC 8881 §18.14): the parent directory. At an export's root under the pseudo-root, the
 * pseudo directory it sits in; NFS4ERR_NOENT at the root the client mounts.
 */
final class Lookupp implements Operation<VoidArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LOOKUPP;
    }

    @Override
    public VoidArgs decode(XdrDecoder in) {
        return VoidArgs.LOOKUPP;
    }

    @Override
    public OpResult execute(CompoundContext ctx, VoidArgs args) throws NfsException {
        FileHandle dir = ctx.currentFh();
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = Checks.requireDir(Checks.stat(fs, dir.inode()));
        if (dir.inode().equals(fs.root())) {
            FileHandle out = ctx.server().exports().pseudoParent(ctx.currentExport()).orElseThrow(
                    () -> new NfsException(NfsStatus.NFS4ERR_NOENT, "LOOKUPP at the root"));
            ctx.setCurrentFh(out);
            return StatusResult.OK;
        }
        Checks.maySearch(st, ctx.identity());
        Inode parent;
        try {
            parent = fs.parent(dir.inode());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        ctx.setCurrentFh(new FileHandle(dir.exportId(), parent));
        return StatusResult.OK;
    }
}

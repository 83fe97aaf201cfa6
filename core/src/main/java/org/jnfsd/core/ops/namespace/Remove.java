package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * REMOVE (RFC 8881 §18.25): a file or an empty directory. Needs write and search permission on
 * the directory, and in a sticky directory ownership of the entry or the directory (or root).
 * Refused with NFS4ERR_GRACE during the grace period, as knfsd: it could remove a file whose open
 * a client is about to reclaim. Another client's delegation on the file is recalled: NFS4ERR_DELAY.
 */
final class Remove implements Operation<RemoveArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.REMOVE;
    }

    @Override
    public RemoveArgs decode(XdrDecoder in) {
        return RemoveArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, RemoveArgs args) throws NfsException {
        FileHandle dir = ctx.currentFh();
        Export export = ctx.currentExport();
        Checks.writable(ctx, export);
        ctx.server().grace().checkNotInGrace("REMOVE");
        VirtualFileSystem fs = export.fs();
        Stat dirSt = Checks.requireDir(Checks.stat(fs, dir.inode()));
        String name = Checks.name(args.target(), fs);
        Identity who = ctx.identity();
        Checks.mayModifyDir(dirSt, who);
        Inode victim = Checks.lookup(fs, dir.inode(), name);
        Checks.mayDeleteFrom(dirSt, Checks.stat(fs, victim), who);
        Checks.recallDelegations(ctx, new FileHandle(dir.exportId(), victim), "REMOVE");
        try {
            fs.remove(dir.inode(), name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return new ChangeInfoResult(Opcode.REMOVE, Checks.changeInfo(dirSt.change(), fs, dir.inode()));
    }
}

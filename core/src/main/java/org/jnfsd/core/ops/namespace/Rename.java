package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * RENAME (RFC 8881 §18.26): oldname in the saved directory becomes newname in the current one.
 * NFS4ERR_XDEV across exports. Renaming a name onto itself, or onto another link of the same
 * file, succeeds without changing anything (POSIX rename(2)). Needs write and search permission
 * on both directories, and the sticky-directory rule for the source and any replaced target.
 * Another client's delegation on the source or the replaced target is recalled: NFS4ERR_DELAY.
 */
final class Rename implements Operation<RenameArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.RENAME;
    }

    @Override
    public RenameArgs decode(XdrDecoder in) {
        return RenameArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, RenameArgs args) throws NfsException {
        FileHandle from = ctx.savedFh();
        FileHandle to = ctx.currentFh();
        if (from.exportId() != to.exportId()) {
            throw new NfsException(NfsStatus.NFS4ERR_XDEV, "RENAME across exports");
        }
        // as knfsd: a rename could replace a file whose open a client is about to reclaim
        ctx.server().grace().checkNotInGrace("RENAME");
        Export export = ctx.currentExport();
        Checks.writable(ctx, export);
        VirtualFileSystem fs = export.fs();
        Stat fromSt = Checks.requireDir(Checks.stat(fs, from.inode()));
        Stat toSt = Checks.requireDir(Checks.stat(fs, to.inode()));
        String oldName = Checks.name(args.oldName(), fs);
        String newName = Checks.name(args.newName(), fs);
        Identity who = ctx.identity();
        Checks.mayModifyDir(fromSt, who);
        Checks.mayModifyDir(toSt, who);
        Inode source = Checks.lookup(fs, from.inode(), oldName);
        Checks.mayDeleteFrom(fromSt, Checks.stat(fs, source), who);
        Inode target = existing(fs, to.inode(), newName);
        if (source.equals(target)) {
            return new RenameResult(unchanged(fromSt), unchanged(toSt));
        }
        if (target != null) {
            Checks.mayDeleteFrom(toSt, Checks.stat(fs, target), who);
        }
        // both the renamed file and a replaced target lose other clients' delegations
        boolean delay = Checks.recallStarted(ctx, new FileHandle(from.exportId(), source));
        if (target != null) {
            delay |= Checks.recallStarted(ctx, new FileHandle(to.exportId(), target));
        }
        if (delay) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, "RENAME: another client's delegation being recalled");
        }
        try {
            fs.rename(from.inode(), oldName, to.inode(), newName);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return new RenameResult(Checks.changeInfo(fromSt.change(), fs, from.inode()),
                Checks.changeInfo(toSt.change(), fs, to.inode()));
    }

    private static Inode existing(VirtualFileSystem fs, Inode dir, String name) throws NfsException {
        try {
            return fs.lookup(dir, name);
        } catch (VfsException e) {
            if (e.error() == org.jnfsd.vfs.VfsError.NOENT) {
                return null;
            }
            throw NfsException.of(e);
        }
    }

    private static ChangeInfo unchanged(Stat dir) {
        return new ChangeInfo(true, dir.change(), dir.change());
    }
}

package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.namespace.LinkArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * LINK (RFC 8881 §18.9): a new name in the current directory for the saved file. A directory as
 * the source is NFS4ERR_ISDIR; NFS4ERR_XDEV across exports; needs write and search permission on
 * the target directory. Another client's delegation on the source is recalled: NFS4ERR_DELAY.
 */
final class Link implements Operation<LinkArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LINK;
    }

    @Override
    public LinkArgs decode(XdrDecoder in) {
        return LinkArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, LinkArgs args) throws NfsException {
        FileHandle source = ctx.savedFh();
        FileHandle dir = ctx.currentFh();
        if (source.exportId() != dir.exportId()) {
            throw new NfsException(NfsStatus.NFS4ERR_XDEV, "LINK across exports");
        }
        Export export = ctx.currentExport();
        Checks.writable(ctx, export);
        VirtualFileSystem fs = export.fs();
        Stat sourceSt = Checks.stat(fs, source.inode());
        if (sourceSt.type() == FileType.DIRECTORY) {
            throw new NfsException(NfsStatus.NFS4ERR_ISDIR, "LINK of a directory");
        }
        Stat dirSt = Checks.requireDir(Checks.stat(fs, dir.inode()));
        String name = Checks.name(args.newName(), fs);
        Checks.mayModifyDir(dirSt, ctx.identity());
        Checks.recallDelegations(ctx, source, "LINK");
        try {
            fs.link(source.inode(), dir.inode(), name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        return new ChangeInfoResult(Opcode.LINK, Checks.changeInfo(dirSt.change(), fs, dir.inode()));
    }
}

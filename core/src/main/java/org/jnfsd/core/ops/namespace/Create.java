package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.Attributes;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.core.fs.SetIdRules;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.CreateResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * CREATE (RFC 8881 §18.4): directories, symlinks, devices, sockets and FIFOs (regular files are
 * OPEN's: NF4REG is NFS4ERR_BADTYPE). Needs write and search permission on the directory. The new
 * object belongs to the caller (its group: the directory's when the directory is set-group-ID)
 * unless the create attributes say otherwise, which SETATTR's ownership rules then allow or not.
 * Without a mode attribute: 0755 for directories, 0777 for symlinks, 0644 otherwise. Block and
 * character devices only for root (as mknod(2) without CAP_MKNOD), else NFS4ERR_PERM. The new
 * object becomes the current filehandle.
 */
final class Create implements Operation<CreateArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.CREATE;
    }

    @Override
    public CreateArgs decode(XdrDecoder in) {
        return CreateArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, CreateArgs args) throws NfsException {
        FileHandle dir = ctx.currentFh();
        Export export = ctx.currentExport();
        VirtualFileSystem fs = export.fs();
        FileType type = type(args.type());
        String target = null;
        if (type == FileType.SYMLINK) {
            byte[] link = args.linkData();
            if (link.length == 0) {
                throw new NfsException(NfsStatus.NFS4ERR_INVAL, "empty symlink target");
            }
            target = Checks.utf8(link, "symlink target");
        }
        SetAttributes requested = Attributes.decodeSettable(args.attrs());
        if (requested.size() != null) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "size in the create attributes of a " + type);
        }
        Checks.writable(ctx, export);
        Stat dirSt = Checks.requireDir(Checks.stat(fs, dir.inode()));
        String name = Checks.name(args.name(), fs);
        Identity who = ctx.identity();
        Checks.mayModifyDir(dirSt, who);
        if ((type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE) && !who.isRoot()) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, "only root creates devices, not uid " + who.uid());
        }
        SetAttributes attrs = initial(requested, type, dirSt, who, fs);
        Inode created;
        try {
            created = switch (type) {
                case DIRECTORY -> fs.mkdir(dir.inode(), name, attrs);
                case SYMLINK -> fs.symlink(dir.inode(), name, target, attrs);
                default -> fs.mknod(dir.inode(), name, type, args.specMajor(), args.specMinor(), attrs);
            };
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        ChangeInfo cinfo = Checks.changeInfo(dirSt.change(), fs, dir.inode());
        ctx.setCurrentFh(new FileHandle(dir.exportId(), created));
        return new CreateResult(cinfo, Attributes.settableMask(args.attrs()));
    }

    private static FileType type(int nfsType) throws NfsException {
        return switch (nfsType) {
            case CreateArgs.NF4DIR -> FileType.DIRECTORY;
            case CreateArgs.NF4LNK -> FileType.SYMLINK;
            case CreateArgs.NF4BLK -> FileType.BLOCK_DEVICE;
            case CreateArgs.NF4CHR -> FileType.CHAR_DEVICE;
            case CreateArgs.NF4SOCK -> FileType.SOCKET;
            case CreateArgs.NF4FIFO -> FileType.FIFO;
            default -> throw new NfsException(NfsStatus.NFS4ERR_BADTYPE, "CREATE of nfs_ftype4 " + nfsType);
        };
    }

    /** The attributes the new object starts with: the caller's ownership and default mode. */
    private static SetAttributes initial(SetAttributes requested, FileType type, Stat dirSt, Identity who,
            VirtualFileSystem fs)
            throws NfsException {
        int gid = SetIdRules.newObjectGid(dirSt, who);
        // the caller is the owner of what it creates: the ownership rules apply to what it asks
        Stat asOwner = new Stat(type, 0, 0, 1, who.uid(), gid, 0, 0, null, null, null, null, 0, 0, 0);
        Setattr.check(asOwner, requested, who, fs);
        int mode = requested.mode() != null ? requested.mode()
                : switch (type) {
                    case DIRECTORY -> 0755;
                    case SYMLINK -> 0777;
                    default -> 0644;
                };
        int group = requested.gid() != null ? requested.gid() : gid;
        return new SetAttributes(SetIdRules.newObjectMode(mode, type, dirSt, group, who),
                requested.uid() != null ? requested.uid() : who.uid(),
                requested.gid() != null ? requested.gid() : gid,
                null, requested.atime(), requested.mtime());
    }
}

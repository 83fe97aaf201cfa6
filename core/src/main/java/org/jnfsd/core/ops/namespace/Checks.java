package org.jnfsd.core.ops.namespace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.AttrSource;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.Access;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.core.fs.Names;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/** Checks and backend calls the namespace operations share. Stateless. */
final class Checks {
    static final int S_ISVTX = 01000;
    static final int S_ISGID = 02000;

    private Checks() {}

    static Stat stat(VirtualFileSystem fs, Inode inode) throws NfsException {
        try {
            return fs.getattr(inode);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    static Stat currentStat(CompoundContext ctx) throws NfsException {
        return stat(ctx.currentFs(), ctx.currentFh().inode());
    }

    /**
     * NFS4ERR_NOTDIR unless {@code st} is a directory; NFS4ERR_SYMLINK for a symbolic link, the
     * more specific v4 error (RFC 8881 §15.1.2.9, knfsd's nfsd_mode_check).
     */
    static Stat requireDir(Stat st) throws NfsException {
        if (st.type() == FileType.SYMLINK) {
            throw new NfsException(NfsStatus.NFS4ERR_SYMLINK, "a symbolic link where a directory is needed");
        }
        if (st.type() != FileType.DIRECTORY) {
            throw new NfsException(NfsStatus.NFS4ERR_NOTDIR, "not a directory but " + st.type());
        }
        return st;
    }

    /** NFS4ERR_ROFS for a mutating operation on a read-only export. */
    static void writable(CompoundContext ctx, Export export) throws NfsException {
        if (ctx.accessTo(export).readOnly()) {
            throw new NfsException(NfsStatus.NFS4ERR_ROFS, "export " + export.path() + " is read-only");
        }
    }

    /**
     * A component4 name, validated: not UTF-8 is NFS4ERR_INVAL, then {@link Names#checkComponent}
     * against the backend's limit.
     */
    static String name(byte[] raw, VirtualFileSystem fs) throws NfsException {
        String name = utf8(raw, "name");
        Names.checkComponent(name, fs.maxNameLength());
        return name;
    }

    /** Strict UTF-8 decoding; NFS4ERR_INVAL when {@code raw} is not UTF-8. */
    static String utf8(byte[] raw, String what) throws NfsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, what + " is not UTF-8", e);
        }
    }

    /** Adding or removing entries needs write and search permission on the directory. */
    static void mayModifyDir(Stat dir, Identity who) throws NfsException {
        if (!Access.mayWrite(dir, who) || !Access.mayExecute(dir, who)) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no write and search permission on the directory");
        }
    }

    /** Looking a name up needs search permission on the directory. */
    static void maySearch(Stat dir, Identity who) throws NfsException {
        if (!Access.mayExecute(dir, who)) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no search permission on the directory");
        }
    }

    /**
     * The sticky-directory rule: in a directory with S_ISVTX only the owner of the entry, the owner
     * of the directory or root may remove or rename the entry. NFS4ERR_PERM otherwise, as Linux's
     * EPERM (which knfsd passes on).
     */
    static void mayDeleteFrom(Stat dir, Stat victim, Identity who) throws NfsException {
        if ((dir.mode() & S_ISVTX) != 0 && !who.isRoot() && who.uid() != dir.uid() && who.uid() != victim.uid()) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, "sticky directory: not the owner");
        }
    }

    /**
     * Starts the recall of other clients' read delegations on {@code file} (CB_RECALL queued,
     * never awaited) and answers NFS4ERR_DELAY while any is in the way (RFC 8881 §10.4.4, as
     * knfsd's break_lease). The holder's own requests do not recall.
     */
    static void recallDelegations(CompoundContext ctx, FileHandle file, String op) throws NfsException {
        if (recallStarted(ctx, file)) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY,
                    op + " of " + file + ": another client's delegation being recalled");
        }
    }

    /** {@link #recallDelegations} without the answer: true when a delegation is in the way. */
    static boolean recallStarted(CompoundContext ctx, FileHandle file) {
        return ctx.server().delegations().recallFor(ctx.requesterId(), file, ctx.server().callbacks());
    }

    static Inode lookup(VirtualFileSystem fs, Inode dir, String name) throws NfsException {
        try {
            return fs.lookup(dir, name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /** change_info for a directory whose change attribute was {@code before}; never atomic. */
    static ChangeInfo changeInfo(long before, VirtualFileSystem fs, Inode dir) throws NfsException {
        return new ChangeInfo(false, before, stat(fs, dir).change());
    }

    static AttrSource attrSource(CompoundContext ctx, Stat st, FileHandle fh) throws NfsException {
        Export export = ctx.server().exports().get(fh.exportId());
        return new AttrSource(st, fh, export, ctx.server().config(), ctx.minorVersion(), mountedOn(ctx, export, fh));
    }

    /** At an export's root under the pseudo-root: the fileid of the pseudo directory it covers. */
    static java.util.OptionalLong mountedOn(CompoundContext ctx, Export export, FileHandle fh) {
        return fh.inode().equals(export.fs().root()) ? ctx.server().exports().mountedOnFileId(export)
                : java.util.OptionalLong.empty();
    }
}

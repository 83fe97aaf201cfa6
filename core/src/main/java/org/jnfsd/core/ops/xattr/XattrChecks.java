package org.jnfsd.core.ops.xattr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.Access;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.Xattrs;

/**
 * What the four xattr operations share: the name, and the checks before the backend is called, in
 * knfsd's order (nfsd4_getxattr ... nfsd_removexattr): the export must store extended attributes
 * (else NFS4ERR_NOTSUPP, RFC 8276 §8.4); reading and listing need read permission, changing needs
 * a writable export (NFS4ERR_ROFS), no grace period (NFS4ERR_GRACE: knfsd refuses SETXATTR and
 * REMOVEXATTR while opens may be reclaimed), write permission (NFS4ERR_ACCESS), and in a sticky
 * directory ownership (NFS4ERR_PERM, the VFS's xattr_permission for user attributes); then another
 * client's delegation of any kind is recalled (NFS4ERR_DELAY, as the VFS's try_break_deleg in
 * setxattr and removexattr). Stateless.
 */
final class XattrChecks {
    private static final int S_ISVTX = 01000;

    private XattrChecks() {}

    /** The current object, checked for reading (GETXATTR, LISTXATTRS). */
    static Target forRead(CompoundContext ctx) throws NfsException {
        Target t = target(ctx);
        if (!Access.mayRead(t.stat(), ctx.identity())) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "reading extended attributes needs read permission");
        }
        return t;
    }

    /** The current object, checked for changing its attributes, its delegations recalled (SETXATTR, REMOVEXATTR). */
    static Target forWrite(CompoundContext ctx, String op) throws NfsException {
        Target t = target(ctx);
        if (ctx.accessTo(t.export()).readOnly()) {
            throw new NfsException(NfsStatus.NFS4ERR_ROFS, op + " on read-only export " + t.export().path());
        }
        ctx.server().grace().checkNotInGrace(op);
        Identity who = ctx.identity();
        if (!Access.mayWrite(t.stat(), who)) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, op + " needs write permission");
        }
        if (t.stat().type() == FileType.DIRECTORY && (t.stat().mode() & S_ISVTX) != 0 && !who.isRoot()
                && who.uid() != t.stat().uid()) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, op + " on a sticky directory of another owner");
        }
        if (ctx.server().delegations().recallFor(ctx.clientId(), t.fh(), ctx.server().callbacks())) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, op + " of " + t.fh() + ": another client's delegation being recalled");
        }
        return t;
    }

    private static Target target(CompoundContext ctx) throws NfsException {
        FileHandle fh = ctx.currentFh();
        Export export = ctx.currentExport();
        VirtualFileSystem fs = export.fs();
        if (!fs.xattrSupport()) {
            throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP, "export " + export.path() + " stores no extended attributes");
        }
        try {
            return new Target(fh, export, fs, fs.getattr(fh.inode()));
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /**
     * An xattrkey4: not UTF-8 or empty is NFS4ERR_INVAL, a NUL NFS4ERR_BADCHAR, longer than
     * {@link Xattrs#NAME_MAX} bytes (255 with "user.") NFS4ERR_NAMETOOLONG, as knfsd.
     */
    static String name(byte[] raw) throws NfsException {
        if (raw.length == 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "empty extended attribute name");
        }
        if (raw.length > Xattrs.NAME_MAX) {
            throw new NfsException(NfsStatus.NFS4ERR_NAMETOOLONG,
                    "extended attribute name of " + raw.length + " bytes, limit " + Xattrs.NAME_MAX);
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "extended attribute name is not UTF-8", e);
        }
        if (name.indexOf('\0') >= 0) {
            throw new NfsException(NfsStatus.NFS4ERR_BADCHAR, "NUL in an extended attribute name");
        }
        return name;
    }

    /** change_info4 of the object itself; never atomic (another client may change it in between). */
    static ChangeInfo changeInfo(Target t) throws NfsException {
        try {
            return new ChangeInfo(false, t.stat().change(), t.fs().getattr(t.fh().inode()).change());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /** The current object with its export, backend and attributes as read before the operation. */
    record Target(FileHandle fh, Export export, VirtualFileSystem fs, Stat stat) {}
}

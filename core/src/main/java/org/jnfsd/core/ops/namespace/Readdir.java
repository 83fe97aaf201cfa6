package org.jnfsd.core.ops.namespace;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.AttrSource;
import org.jnfsd.core.attr.Attributes;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Access;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.ReaddirArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirResult;
import org.jnfsd.protocol.nfs4.namespace.ReaddirResult.Entry;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.DirEntry;
import org.jnfsd.vfs.DirList;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * READDIR (RFC 8881 §18.23).
 *
 * <p>Cookies are the backend's, which are stable (see {@link DirEntry}), so the cookie verifier is
 * a constant per export (its fsid): a non-zero verifier other than that is NFS4ERR_NOT_SAME. Cookies
 * 1 and 2 are reserved: NFS4ERR_BAD_COOKIE.
 *
 * <p>Size: maxcount bounds the whole READDIR4resok (verifier, entries, end markers) exactly, and
 * is capped by the server's largest response and the session's ca_maxresponsesize; dircount
 * bounds the entries' cookie and name bytes (a hint: at least one entry is always returned when it
 * fits maxcount). NFS4ERR_TOOSMALL when not even one entry fits.
 *
 * <p>Attributes: each entry's are the requested ones; an entry whose values cannot be obtained
 * carries only rdattr_error when that was requested, and fails the READDIR otherwise.
 *
 * <p>Pseudo-root: entries leading to no export the client may use are left out; an export's
 * entry carries the attributes of the export's root (its fsid, mounted_on_fileid the pseudo
 * directory's), so a client sees the mount point as RFC 8881 §7.7 describes.
 */
final class Readdir implements Operation<ReaddirArgs> {
    private static final int BATCH = 128;
    private static final byte[] ZERO_VERIFIER = new byte[ReaddirArgs.VERIFIER_SIZE];

    @Override
    public Opcode opcode() {
        return Opcode.READDIR;
    }

    @Override
    public ReaddirArgs decode(XdrDecoder in) {
        return ReaddirArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ReaddirArgs args) throws NfsException {
        FileHandle dir = ctx.currentFh();
        Export export = ctx.currentExport();
        VirtualFileSystem fs = export.fs();
        Stat st = Checks.requireDir(Checks.stat(fs, dir.inode()));
        long cookie = args.cookie();
        if (cookie == 1 || cookie == 2) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_COOKIE, "reserved cookie " + cookie);
        }
        byte[] ours = verifier(export);
        byte[] verf = args.cookieVerf();
        if (cookie != 0 && !Arrays.equals(verf, ZERO_VERIFIER) && !Arrays.equals(verf, ours)) {
            throw new NfsException(NfsStatus.NFS4ERR_NOT_SAME, "cookie verifier is not this server's");
        }
        int[] request = args.attrRequest();
        Attributes.checkReadable(request);
        if (!Access.mayRead(st, ctx.identity())) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no read permission on the directory");
        }
        long maxCount = Math.min(Integer.toUnsignedLong(args.maxCount()), ctx.server().config().maxResponseSize());
        if (ctx.slot() != null) {
            maxCount = Math.min(maxCount, ctx.slot().maxResponseSize());
        }
        ctx.reserveReply(maxCount);
        long dirCount = Integer.toUnsignedLong(args.dirCount());
        long room = maxCount - ReaddirResult.EMPTY_SIZE;
        long dirUsed = 0;
        List<Entry> entries = new ArrayList<>();
        boolean eof = false;
        boolean full = room < 0;
        while (!full) {
            DirList list = list(fs, dir, cookie);
            for (DirEntry e : list.entries()) {
                if (Junctions.hidden(ctx, dir, e.inode())) {
                    cookie = e.cookie();
                    continue;
                }
                Entry entry = new Entry(e.cookie(), e.name(), attrs(ctx, export, dir, e, request));
                int size = entry.encodedSize();
                boolean overDirCount = dirCount > 0 && !entries.isEmpty() && dirUsed + entry.dirInfoSize() > dirCount;
                if (size > room || overDirCount) {
                    full = true;
                    break;
                }
                entries.add(entry);
                room -= size;
                dirUsed += entry.dirInfoSize();
                cookie = e.cookie();
            }
            if (!full && (list.eof() || list.entries().isEmpty())) {
                eof = true;
                break;
            }
        }
        if (entries.isEmpty() && !eof) {
            throw new NfsException(NfsStatus.NFS4ERR_TOOSMALL, "maxcount " + args.maxCount() + " holds no entry");
        }
        return new ReaddirResult(ours, entries, eof);
    }

    private static DirList list(VirtualFileSystem fs, FileHandle dir, long cookie) throws NfsException {
        try {
            return fs.readdir(dir.inode(), cookie, BATCH);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    private static Fattr4 attrs(CompoundContext ctx, Export export, FileHandle dir, DirEntry e, int[] request)
            throws NfsException {
        if (request.length == 0) {
            return Fattr4.EMPTY;
        }
        try {
            Export into = Junctions.crossing(ctx, dir, e.inode()).orElse(null);
            if (into != null) {
                // an export's path: the attributes of the export's root, as LOOKUP would cross
                FileHandle root = PutRootFh.rootOf(into);
                return Attributes.encode(request, new AttrSource(Checks.stat(into.fs(), root.inode()), root, into,
                        ctx.server().config(), ctx.minorVersion(), Checks.mountedOn(ctx, into, root)));
            }
            FileHandle fh = new FileHandle(dir.exportId(), e.inode());
            Stat st = e.stat() != null ? e.stat() : Checks.stat(export.fs(), e.inode());
            return Attributes.encode(request,
                    new AttrSource(st, fh, export, ctx.server().config(), ctx.minorVersion()));
        } catch (NfsException ex) {
            Fattr4 error = Attributes.encodeError(request, ex.status());
            if (error == null) {
                throw ex;
            }
            return error;
        }
    }

    /** The constant cookie verifier of an export: its fsid. */
    static byte[] verifier(Export export) {
        return ByteBuffer.allocate(ReaddirArgs.VERIFIER_SIZE).putLong(export.fs().fsid()).array();
    }
}

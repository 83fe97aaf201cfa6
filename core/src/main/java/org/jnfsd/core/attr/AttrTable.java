package org.jnfsd.core.attr;

import static org.jnfsd.core.attr.AttrBit.*;

import java.time.Instant;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.SetAttributes.TimeValue;

/**
 * The attribute table: every attribute jnfsd supports, one row each, indexed by attribute number.
 * Immutable after class initialization. Attributes not listed are unsupported (omitted from GETATTR
 * replies, NFS4ERR_ATTRNOTSUPP when set or verified).
 *
 * <p>Fixed values and why: fh_expire_type FH4_PERSISTENT (handles survive restarts); named_attr,
 * case_insensitive false; aclsupport 0 (no ACLs); maxlink 65000 (the backend interface has no
 * limit of its own, so ext4's is advertised and a backend's MLINK still surfaces as an error);
 * time_delta 1 ns; change_attr_type (4.2 only) NFS4_CHANGE_TYPE_IS_MONOTONIC_INCR, since the
 * backend contract says {@code Stat.change} increases on every change. clone_blksize (4.2 only) is
 * the backend's {@code cloneBlockSize()} (0: no CLONE); space_freed (4.2 only) is the space used,
 * or 0 for a file another hard link keeps. xattr_support (4.2 only, RFC 8276 §8.1) is the
 * backend's {@code xattrSupport()}, per export. open_arguments (4.2 only, RFC 9754 §6) is {@link
 * OpenArguments}. time_create is readable
 * only where the backend knows a birth time and is not settable (the backend cannot set it).
 */
final class AttrTable {
    static final int MAX_BIT = 86;
    static final int MAXLINK_VALUE = 65000;
    /** change_attr_type4 NFS4_CHANGE_TYPE_IS_MONOTONIC_INCR. */
    static final int CHANGE_TYPE_MONOTONIC = 0;
    static final int FH4_PERSISTENT = 0;
    static final int SET_TO_SERVER_TIME4 = 0;
    static final int SET_TO_CLIENT_TIME4 = 1;
    private static final int MAX_OWNER = 1024;

    private static final AttrDef[] ROWS = new AttrDef[MAX_BIT + 1];
    /** supported_attrs per minor version, index 0..2. */
    private static final int[][] SUPPORTED = new int[3][];
    // time_deleg_*: what the holder of a timestamps delegation tells the server; knfsd refuses
    // them in GETATTR too (NFS4ERR_INVAL)
    private static final int[] WRITE_ONLY = Bitmap.of(TIME_ACCESS_SET, TIME_MODIFY_SET, TIME_DELEG_ACCESS,
            TIME_DELEG_MODIFY);
    // as knfsd: the times are left out, EXCLUSIVE4 (4.0) keeps its verifier in them
    private static final int[] SUPPATTR_EXCLCREAT_MASK = Bitmap.of(SIZE, MODE, OWNER, OWNER_GROUP);

    static {
        row(SUPPORTED_ATTRS, "supported_attrs", (s, o) -> o.writeBitmap(supported(s.minorVersion())));
        row(TYPE, "type", (s, o) -> o.writeInt(ftype(s.stat().type())));
        row(FH_EXPIRE_TYPE, "fh_expire_type", (s, o) -> o.writeInt(FH4_PERSISTENT));
        row(CHANGE, "change", (s, o) -> o.writeLong(s.stat().change()));
        settable(SIZE, "size", (s, o) -> o.writeLong(s.stat().size()), (in, b) -> b.size = in.readLong());
        row(LINK_SUPPORT, "link_support", (s, o) -> o.writeBool(true));
        row(SYMLINK_SUPPORT, "symlink_support", (s, o) -> o.writeBool(true));
        row(NAMED_ATTR, "named_attr", (s, o) -> o.writeBool(false));
        row(FSID, "fsid", (s, o) -> o.writeLong(s.export().fs().fsid()).writeLong(0));
        row(UNIQUE_HANDLES, "unique_handles", (s, o) -> o.writeBool(true));
        row(LEASE_TIME, "lease_time", (s, o) -> o.writeInt((int) s.config().leaseTime().toSeconds()));
        // the value is written by Attributes (OK here, an entry's error in READDIR)
        row(RDATTR_ERROR, "rdattr_error", (s, o) -> o.writeInt(NfsStatus.NFS4_OK.code()));
        row(ACLSUPPORT, "aclsupport", (s, o) -> o.writeInt(0));
        row(CANSETTIME, "cansettime", (s, o) -> o.writeBool(true));
        row(CASE_INSENSITIVE, "case_insensitive", (s, o) -> o.writeBool(false));
        row(CASE_PRESERVING, "case_preserving", (s, o) -> o.writeBool(true));
        row(CHOWN_RESTRICTED, "chown_restricted", (s, o) -> o.writeBool(true));
        row(FILEHANDLE, "filehandle", (s, o) -> o.writeOpaque(s.config().handleKey().seal(s.fh())));
        row(FILEID, "fileid", (s, o) -> o.writeLong(s.stat().fileId()));
        row(FILES_AVAIL, "files_avail", (s, o) -> o.writeLong(s.fsStat().availFiles()));
        row(FILES_FREE, "files_free", (s, o) -> o.writeLong(s.fsStat().freeFiles()));
        row(FILES_TOTAL, "files_total", (s, o) -> o.writeLong(s.fsStat().totalFiles()));
        row(HOMOGENEOUS, "homogeneous", (s, o) -> o.writeBool(true));
        row(MAXFILESIZE, "maxfilesize", (s, o) -> o.writeLong(s.export().fs().maxFileSize()));
        row(MAXLINK, "maxlink", (s, o) -> o.writeInt(MAXLINK_VALUE));
        row(MAXNAME, "maxname", (s, o) -> o.writeInt(s.export().fs().maxNameLength()));
        row(MAXREAD, "maxread", (s, o) -> o.writeLong(s.config().maxRead()));
        row(MAXWRITE, "maxwrite", (s, o) -> o.writeLong(s.config().maxWrite()));
        // like knfsd, type bits a client sends along with the mode are ignored
        settable(MODE, "mode", (s, o) -> o.writeInt(s.stat().mode() & 07777), (in, b) -> b.mode = in.readInt() & 07777);
        row(NO_TRUNC, "no_trunc", (s, o) -> o.writeBool(true));
        row(NUMLINKS, "numlinks", (s, o) -> o.writeInt(s.stat().nlink()));
        settable(OWNER, "owner", (s, o) -> o.writeAscii(Owners.format(s.stat().uid())),
                (in, b) -> b.uid = Owners.parse(in.readUtf8(MAX_OWNER)));
        settable(OWNER_GROUP, "owner_group", (s, o) -> o.writeAscii(Owners.format(s.stat().gid())),
                (in, b) -> b.gid = Owners.parse(in.readUtf8(MAX_OWNER)));
        row(RAWDEV, "rawdev", (s, o) -> o.writeInt(s.stat().rdevMajor()).writeInt(s.stat().rdevMinor()));
        row(SPACE_AVAIL, "space_avail", (s, o) -> o.writeLong(s.fsStat().availBytes()));
        row(SPACE_FREE, "space_free", (s, o) -> o.writeLong(s.fsStat().freeBytes()));
        row(SPACE_TOTAL, "space_total", (s, o) -> o.writeLong(s.fsStat().totalBytes()));
        row(SPACE_USED, "space_used", (s, o) -> o.writeLong(s.stat().spaceUsed()));
        row(TIME_ACCESS, "time_access", (s, o) -> time(s.stat().atime(), o));
        writeOnly(TIME_ACCESS_SET, "time_access_set", (in, b) -> b.atime = setTime(in));
        put(new AttrDef(TIME_CREATE, "time_create", 1, (s, o) -> time(s.stat().birthTime(), o),
                s -> s.stat().birthTime() != null, null));
        row(TIME_DELTA, "time_delta", (s, o) -> o.writeLong(0).writeInt(1));
        row(TIME_METADATA, "time_metadata", (s, o) -> time(s.stat().ctime(), o));
        row(TIME_MODIFY, "time_modify", (s, o) -> time(s.stat().mtime(), o));
        writeOnly(TIME_MODIFY_SET, "time_modify_set", (in, b) -> b.mtime = setTime(in));
        row(MOUNTED_ON_FILEID, "mounted_on_fileid", (s, o) -> o.writeLong(s.mountedOnFileId()));
        row(SUPPATTR_EXCLCREAT, "suppattr_exclcreat", (s, o) -> o.writeBitmap(suppattrExclcreat()));
        put(new AttrDef(CLONE_BLKSIZE, "clone_blksize", 2, (s, o) -> o.writeInt(s.export().fs().cloneBlockSize()),
                null, null));
        put(new AttrDef(SPACE_FREED, "space_freed", 2, (s, o) -> o.writeLong(spaceFreed(s.stat())), null, null));
        put(new AttrDef(CHANGE_ATTR_TYPE, "change_attr_type", 2, (s, o) -> o.writeInt(CHANGE_TYPE_MONOTONIC),
                null, null));
        put(new AttrDef(XATTR_SUPPORT, "xattr_support", 2, (s, o) -> o.writeBool(s.export().fs().xattrSupport()),
                null, null));
        // RFC 9754: no backend here moves file data to slower storage, so no file is ever offline
        put(new AttrDef(OFFLINE, "offline", 2, (s, o) -> o.writeBool(false), null, null));
        // RFC 9754: nfstime4 values, no time_how4; Setattr checks the stateid is the timestamps delegation
        put(new AttrDef(TIME_DELEG_ACCESS, "time_deleg_access", 2, null, null,
                (in, b) -> b.atime = TimeValue.of(NfsTime.decode(in).toInstant())));
        put(new AttrDef(TIME_DELEG_MODIFY, "time_deleg_modify", 2, null, null,
                (in, b) -> b.mtime = TimeValue.of(NfsTime.decode(in).toInstant())));
        put(new AttrDef(OPEN_ARGUMENTS, "open_arguments", 2, (s, o) -> OpenArguments.encode(o), null, null));

        for (int minor = 0; minor < SUPPORTED.length; minor++) {
            int[] mask = new int[0];
            for (AttrDef d : ROWS) {
                if (d != null && d.minMinor() <= minor) {
                    mask = Bitmap.set(mask, d.bit());
                }
            }
            SUPPORTED[minor] = mask;
        }
    }

    private AttrTable() {}

    /** The row for an attribute number, or null when jnfsd does not support it. */
    static AttrDef get(int bit) {
        return bit >= 0 && bit <= MAX_BIT ? ROWS[bit] : null;
    }

    /** supported_attrs for a minor version (a copy). */
    static int[] supported(int minorVersion) {
        return SUPPORTED[Math.min(Math.max(minorVersion, 0), SUPPORTED.length - 1)].clone();
    }

    static int[] writeOnly() {
        return WRITE_ONLY.clone();
    }

    static int[] suppattrExclcreat() {
        return SUPPATTR_EXCLCREAT_MASK.clone();
    }

    static int ftype(FileType t) {
        return switch (t) {
            case REGULAR -> 1;
            case DIRECTORY -> 2;
            case BLOCK_DEVICE -> 3;
            case CHAR_DEVICE -> 4;
            case SYMLINK -> 5;
            case SOCKET -> 6;
            case FIFO -> 7;
        };
    }

    /** Space removing this file would free: none while another hard link keeps a non-directory. */
    private static long spaceFreed(org.jnfsd.vfs.Stat st) {
        return st.type() != FileType.DIRECTORY && st.nlink() > 1 ? 0 : st.spaceUsed();
    }

    private static void time(Instant t, XdrEncoder o) {
        NfsTime.of(t).encode(o);
    }

    private static TimeValue setTime(XdrDecoder in) {
        int how = in.readInt();
        return switch (how) {
            case SET_TO_SERVER_TIME4 -> TimeValue.SERVER_NOW;
            case SET_TO_CLIENT_TIME4 -> TimeValue.of(NfsTime.decode(in).toInstant());
            default -> throw new XdrException("time_how4 " + how);
        };
    }

    /**
     * The first minor version with attribute {@code bit}: 4.0 defines 0 to 55 (mounted_on_fileid,
     * RFC 7530 §5), 4.1 the ones above (RFC 8881 §5.8.3); the 4.2 rows give 2 themselves.
     */
    private static int since(int bit) {
        return bit <= MOUNTED_ON_FILEID ? 0 : 1;
    }

    private static void row(int bit, String name, AttrDef.Encoder enc) {
        put(new AttrDef(bit, name, since(bit), enc, null, null));
    }

    private static void settable(int bit, String name, AttrDef.Encoder enc, AttrDef.SetDecoder dec) {
        put(new AttrDef(bit, name, since(bit), enc, null, dec));
    }

    private static void writeOnly(int bit, String name, AttrDef.SetDecoder dec) {
        put(new AttrDef(bit, name, since(bit), null, null, dec));
    }

    private static void put(AttrDef d) {
        if (ROWS[d.bit()] != null) {
            throw new IllegalStateException("attribute " + d.bit() + " defined twice");
        }
        ROWS[d.bit()] = d;
    }
}

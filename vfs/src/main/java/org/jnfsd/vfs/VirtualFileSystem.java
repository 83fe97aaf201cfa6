package org.jnfsd.vfs;

import java.nio.ByteBuffer;

/**
 * The storage one export serves. Implementations are thread-safe: calls arrive concurrently from
 * many request threads and may block. The backend does no permission checking (core checks the
 * caller's credential against {@link Stat}); it does enforce the file system's own rules (a
 * directory must be empty to be removed, names are unique in a directory, ...).
 *
 * <p>Names are single path components: never empty, never "." or "..", never containing '/' or NUL
 * (core rejects those before calling). Sizes are bytes; offsets are non-negative.
 *
 * <p>Errors every backend gives alike (the contract test {@code VirtualFileSystemContractTest}
 * checks them): a handle of a removed object, or bytes the backend never made, is
 * {@link VfsError#STALE}; a name longer than {@link #maxNameLength()} bytes of UTF-8 is
 * {@link VfsError#NAMETOOLONG}; a directory operation on a non-directory is {@link VfsError#NOTDIR};
 * read, write, commit or a size change of a directory is {@link VfsError#ISDIR} and of another
 * non-regular object {@link VfsError#INVAL}; readlink of a non-symlink is {@link VfsError#INVAL}.
 * Symbolic links are never followed: an operation on a symlink's handle acts on the link itself.
 */
public interface VirtualFileSystem extends AutoCloseable {

    /** The export's root directory. */
    Inode root();

    /** A stable id of this file system, distinct per export (the NFSv4 fsid). */
    long fsid();

    Inode lookup(Inode dir, String name) throws VfsException;

    /**
     * Like {@link #lookup}, but a name that does not exist gives null instead of
     * {@link VfsError#NOENT}: for callers to whom absence is an expected answer (OPEN with create),
     * which a backend may give without building an exception. The default asks {@link #lookup}.
     */
    default Inode lookupIfExists(Inode dir, String name) throws VfsException {
        try {
            return lookup(dir, name);
        } catch (VfsException e) {
            if (e.error() == VfsError.NOENT) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The attributes of {@code dir} and, when it is a directory, the entry {@code name} in it (null
     * when absent): for the caller that checks the directory's type and permissions before using
     * the entry (LOOKUP), in one resolution of {@code dir} instead of a {@link #getattr} and a
     * {@link #lookup}. An object that is not a directory is not an error here: its attributes come
     * back with no entry. The default asks {@link #getattr} and {@link #lookupIfExists}.
     */
    default LookupResult lookupWithDir(Inode dir, String name) throws VfsException {
        Stat st = getattr(dir);
        if (st.type() != FileType.DIRECTORY) {
            return new LookupResult(st, null, null);
        }
        return new LookupResult(st, lookupIfExists(dir, name), null);
    }

    /**
     * {@link #lookupWithDir(Inode, String)} for a caller that already holds {@code dir}'s
     * attributes, read by the operation just before in the same COMPOUND (LOOKUP after LOOKUP in
     * a path walk): a backend may answer with them ({@code dirAttrs} comes back as
     * {@link LookupResult#dir()}) and search without reading the directory again; when it cannot
     * vouch for its answer that way it does the full {@link #lookupWithDir(Inode, String)}.
     * {@code dirAttrs} null is the full one. The default ignores {@code dirAttrs}.
     */
    default LookupResult lookupWithDir(Inode dir, Stat dirAttrs, String name) throws VfsException {
        return lookupWithDir(dir, name);
    }

    /** The parent directory of {@code dir}; the root's parent is the root. */
    Inode parent(Inode dir) throws VfsException;

    Stat getattr(Inode inode) throws VfsException;

    /** Applies {@code attrs} (a size change truncates or extends) and returns the new attributes. */
    Stat setattr(Inode inode, SetAttributes attrs) throws VfsException;

    /**
     * Creates a regular file. With {@code exclusive}, fails with {@link VfsError#EXIST} when the
     * name exists; otherwise returns the existing file when it is a regular file, applying only
     * {@code attrs.size()} to it (so size 0 truncates), and fails with {@link VfsError#ISDIR} for a
     * directory and {@link VfsError#EXIST} for any other object.
     */
    Inode createFile(Inode dir, String name, SetAttributes attrs, boolean exclusive) throws VfsException;

    Inode mkdir(Inode dir, String name, SetAttributes attrs) throws VfsException;

    Inode symlink(Inode dir, String name, String target, SetAttributes attrs) throws VfsException;

    /**
     * Creates a FIFO, socket, block or character device ({@code major}/{@code minor} used only for
     * devices); another type is {@link VfsError#BADTYPE}.
     */
    Inode mknod(Inode dir, String name, FileType type, int major, int minor, SetAttributes attrs)
            throws VfsException;

    /** Makes {@code name} in {@code dir} a new hard link to {@code target}; a directory is {@link VfsError#ISDIR}. */
    void link(Inode target, Inode dir, String name) throws VfsException;

    /** Removes a non-directory, or an empty directory. */
    void remove(Inode dir, String name) throws VfsException;

    /**
     * Renames, replacing a compatible target as POSIX rename(2) does: a directory only replaces an
     * empty directory ({@link VfsError#NOTEMPTY}, {@link VfsError#NOTDIR} onto a non-directory), a
     * non-directory never replaces a directory ({@link VfsError#ISDIR}); moving a directory below
     * itself is {@link VfsError#INVAL}; two names of one object (or the same name) do nothing.
     */
    void rename(Inode fromDir, String fromName, Inode toDir, String toName) throws VfsException;

    String readlink(Inode symlink) throws VfsException;

    /**
     * Up to {@code maxEntries} (at least 1) entries of {@code dir} after {@code cookie} (0 = from
     * the start), in a stable order, without "." and "..". Resuming with the cookie of an entry
     * removed since still continues right after where it was.
     */
    DirList readdir(Inode dir, long cookie, int maxEntries) throws VfsException;

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code offset} into {@code dst}.
     *
     * @return true when the read reached end of file
     */
    boolean read(Inode file, long offset, ByteBuffer dst) throws VfsException;

    /** Writes all of {@code src} at {@code offset} with at least the given stability. */
    void write(Inode file, long offset, ByteBuffer src, Stability stability) throws VfsException;

    /**
     * Writes all of {@code srcs}, one after the other, from {@code offset}, with at least the given
     * stability: a payload that arrived in several buffers, written without joining them. By
     * default one {@link #write(Inode, long, ByteBuffer, Stability)} per buffer, the stability asked
     * of the last.
     */
    default void write(Inode file, long offset, ByteBuffer[] srcs, Stability stability) throws VfsException {
        if (srcs.length == 0) {
            write(file, offset, ByteBuffer.allocate(0), stability);
            return;
        }
        long pos = offset;
        for (int i = 0; i < srcs.length; i++) {
            int n = srcs[i].remaining();
            write(file, pos, srcs[i], i == srcs.length - 1 ? stability : Stability.UNSTABLE);
            pos += n;
        }
    }

    /** Makes earlier unstable writes to {@code file} durable. */
    void commit(Inode file) throws VfsException;

    FsStat fsStat() throws VfsException;

    /** Largest file size and name length the backend supports. */
    long maxFileSize();

    int maxNameLength();

    // ---- NFSv4.2 data operations (RFC 7862); defaults for backends that cannot do better ----

    /**
     * The next offset at or after {@code offset} where data (or a hole) starts, as lseek(2)
     * SEEK_DATA / SEEK_HOLE: an offset at or past end of file is {@link VfsError#NXIO}, and so is a
     * DATA seek with no data after {@code offset} (as Linux and knfsd answer); every file has a
     * hole at its end. The default treats the whole file as data.
     */
    default SeekResult seek(Inode file, long offset, SeekWhat what) throws VfsException {
        long size = getattr(file).size();
        if (offset < 0 || offset >= size) {
            throw new VfsException(VfsError.NXIO, "seek at " + offset + ", size " + size);
        }
        return what == SeekWhat.DATA ? new SeekResult(false, offset) : new SeekResult(true, size);
    }

    /**
     * Reserves space for {@code length} bytes at {@code offset}, as fallocate(2) mode 0: the range
     * reads as before (zeros where it was a hole), later writes to it do not fail for lack of
     * space, and the file grows to cover the range. The default is {@link VfsError#NOTSUPP}.
     */
    default void allocate(Inode file, long offset, long length) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "ALLOCATE not supported by this backend");
    }

    /**
     * Punches a hole: the range reads as zeros afterwards and its space may be freed; the size does
     * not change (a range past end of file is fine and does nothing there). The default is
     * {@link VfsError#NOTSUPP}.
     */
    default void deallocate(Inode file, long offset, long length) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "DEALLOCATE not supported by this backend");
    }

    /**
     * The alignment {@link #clone} needs for offsets and length (the NFSv4.2 clone_blksize), or 0
     * when this backend cannot clone.
     */
    default int cloneBlockSize() {
        return 0;
    }

    /**
     * Makes {@code length} bytes of {@code dst} at {@code dstOffset} share (or at least equal) the
     * bytes of {@code src} at {@code srcOffset}, as the FICLONERANGE ioctl; the destination grows
     * when the range ends past its end. Overlapping ranges in one file are {@link VfsError#INVAL};
     * a backend that cannot clone says {@link VfsError#NOTSUPP} (the default).
     */
    default void clone(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "CLONE not supported by this backend");
    }

    /**
     * Copies up to {@code length} bytes of {@code src} at {@code srcOffset} to {@code dst} at
     * {@code dstOffset}, stopping early at the source's end of file, as copy_file_range(2). The
     * caller checked the ranges (no overlap in one file). The copied bytes are as durable as an
     * unstable WRITE. The default streams through {@link #read} and {@link #write} in 1 MiB pieces.
     *
     * @return the number of bytes copied
     */
    default long copy(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        return Copying.stream(this, src, srcOffset, dst, dstOffset, length);
    }

    // ---- extended attributes of the user namespace (RFC 8276); names without "user." ----

    /**
     * Whether this file system stores extended attributes at all (the NFSv4.2 xattr_support
     * attribute). When false, every xattr call is {@link VfsError#NOTSUPP}. The default is false.
     */
    default boolean xattrSupport() {
        return false;
    }

    /**
     * The value of attribute {@code name} of the object itself (never a symlink's target); a
     * missing attribute is {@link VfsError#NOXATTR}. Names and values obey {@link Xattrs}.
     */
    default byte[] getxattr(Inode inode, String name) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported by this backend");
    }

    /**
     * Sets attribute {@code name} to {@code value} as {@code mode} says ({@link VfsError#EXIST} for
     * CREATE of an existing one, {@link VfsError#NOXATTR} for REPLACE of a missing one); updates
     * the object's ctime and change attribute. As Linux, only regular files and directories take
     * attributes of the user namespace: another type is {@link VfsError#PERM}.
     */
    default void setxattr(Inode inode, String name, byte[] value, XattrMode mode) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported by this backend");
    }

    /** The names of the object's attributes, sorted (a stable order for LISTXATTRS cookies). */
    default java.util.List<String> listxattr(Inode inode) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported by this backend");
    }

    /** Removes attribute {@code name} ({@link VfsError#NOXATTR} if missing); updates ctime and change. */
    default void removexattr(Inode inode, String name) throws VfsException {
        throw new VfsException(VfsError.NOTSUPP, "extended attributes not supported by this backend");
    }

    @Override
    void close();
}

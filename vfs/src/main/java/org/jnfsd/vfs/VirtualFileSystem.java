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

    /** Makes earlier unstable writes to {@code file} durable. */
    void commit(Inode file) throws VfsException;

    FsStat fsStat() throws VfsException;

    /** Largest file size and name length the backend supports. */
    long maxFileSize();

    int maxNameLength();

    @Override
    void close();
}

package org.jnfsd.vfs.local;

import static org.jnfsd.vfs.Arguments.NAME_MAX;
import static org.jnfsd.vfs.Arguments.checkName;
import static org.jnfsd.vfs.Arguments.checkOffset;
import static org.jnfsd.vfs.Arguments.checkRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jnfsd.vfs.DirCookies;
import org.jnfsd.vfs.local.ListingCache.Named;
import org.jnfsd.vfs.DirEntry;
import org.jnfsd.vfs.DirList;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.FsStat;
import org.jnfsd.vfs.Copying;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.LookupResult;
import org.jnfsd.vfs.SeekResult;
import org.jnfsd.vfs.SeekWhat;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.XattrMode;
import org.jnfsd.vfs.Xattrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a real directory of a Linux host through {@code java.nio.file} and, for attributes (one
 * {@code statx} per object, cheaper than the {@code unix:} attribute view's string parsing and map)
 * and what Java lacks, libc through the foreign-function API ({@link Libc}).
 *
 * <h2>Symlinks are never followed</h2>
 * Every call uses {@link LinkOption#NOFOLLOW_LINKS} or a syscall that does not follow a final
 * symlink (mknod, mkdir, symlink, link, rename, unlink, {@code fchmodat(AT_SYMLINK_NOFOLLOW)},
 * {@code lchown}, {@code utimensat(AT_SYMLINK_NOFOLLOW)}, {@code open(O_NOFOLLOW)}). Paths are
 * built from the export root and single names, and a path is used only after its object's inode
 * number was checked. Intermediate components of a path are directories the kernel does follow if
 * they became symlinks; that can only happen after a directory is removed or renamed, and this
 * backend removes and renames only while holding {@code namespaceLock} for writing, while every
 * other operation holds it for reading from the check of its path to its last use. So no NFS
 * client, however its requests race, can make this backend leave the root. A local process that
 * swaps a directory for a symlink inside the export while requests run is not guarded against
 * (that would need {@code openat2(RESOLVE_BENEATH)}); exported trees are the server's to own.
 *
 * <h2>Handles survive restarts</h2>
 * An {@link Inode} is the inode number and a generation (16 bytes), then the kernel's own file
 * handle of the object ({@link KernelHandles}: type and bytes, 12 more on ext4) where the file
 * system gives one. The generation is the object's birth time in
 * nanoseconds where the file system records one ({@code statx} says so at startup), so that a
 * reused inode number gives {@link VfsError#STALE} instead of another file. Where it does not
 * (older file systems), the generation is 0 and a reused inode number is not detected: the handle
 * then names whichever object has that number now; this is logged at startup. A handle is resolved
 * through {@link InodeIndex} (inode → parent, name), filled by lookup, readdir, create and rename;
 * when the index does not know it or its path now holds another object (restart, or a rename by
 * another process), {@code open_by_handle_at} of its kernel handle names it (with
 * {@code CAP_DAC_READ_SEARCH}; ESTALE there is STALE at once); only when that cannot say (no
 * privilege, a 16-byte handle from before, a disconnected name) is the export tree scanned breadth-first (at most {@link #MAX_SCAN_ENTRIES}
 * entries; everything seen is cached; without {@code namespaceLock}, the result checked again under
 * it) and only if that fails is the handle STALE. Objects on other devices (mount points
 * below the root) are not scanned.
 *
 * <h2>Attributes</h2>
 * {@code change} is ctime in nanoseconds: two changes within one ctime tick are indistinguishable
 * (Linux 6.6+ multigrain timestamps make that rare; knfsd uses i_version, which Java cannot read).
 * Setting the mode of a symlink is ignored (Linux symlinks have no mode). Extending a file with
 * SETATTR writes one zero byte at the new end, so everything before it is a hole.
 *
 * <h2>Extended attributes</h2>
 * The {@code user.} namespace only, through {@code lgetxattr}/{@code lsetxattr}/{@code llistxattr}/
 * {@code lremovexattr} on the verified path under {@code namespaceLock} (the {@code l} calls never
 * follow a final symlink; intermediate components as above). Whether the file system takes them is
 * probed once at the root; where it does not, every call is NOTSUPP and xattr_support false.
 *
 * <h2>Readdir cookies</h2>
 * {@link DirCookies}: a hash of the name, entries sorted by cookie, resumed strictly after the
 * given cookie. Each page lists and sorts the whole directory: O(n log n) per page.
 *
 * <h2>Concurrency</h2>
 * {@code namespaceLock} as above (remove and rename write, everything else reads). {@code scanLock}
 * serialises scans so concurrent misses scan once. READ, WRITE and COMMIT go through
 * {@link ChannelCache}, whose cached channel is used without taking {@code namespaceLock}: it is
 * the opened object itself, whatever happens to names. Removing or replacing a file through this
 * backend drops its channel.
 */
public final class LocalFileSystem implements VirtualFileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFileSystem.class);

    private static final int DEFAULT_OPEN_FILES = 128;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** A new regular file, opened read-write for the channel cache; never through a symlink. */
    private static final Set<OpenOption> CREATE_NEW_READ_WRITE = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    /** rwxrwxrwx, in the bit order of {@link PosixFilePermission}. */
    private static final PosixFilePermission[] PERMISSION_BITS = PosixFilePermission.values();
    private static final int SEEK_END = 2;
    /** copy_file_range errors that mean "not here, copy it yourself". */
    private static final Set<Integer> KERNEL_COPY_REFUSED =
            Set.of(Libc.EXDEV, Libc.EOPNOTSUPP, Libc.EINVAL, Libc.ENOSYS);

    /**
     * A handle resolved to a verified path and the attributes read while verifying. The path is
     * kept relative to the export root ({@code rel}, "" for the root itself), as the {@code statx}
     * relative to {@link #rootFd} takes it; {@link #path()} builds the absolute one for the
     * {@code java.nio.file} calls.
     */
    private record Resolved(Path root, String rel, Libc.Statx attrs, long ino, long generation) {
        Path path() {
            return rel.isEmpty() ? root : root.resolve(rel);
        }

        /** The root-relative path of entry {@code name} of this directory. */
        String child(String name) {
            return rel.isEmpty() ? name : rel + '/' + name;
        }
    }

    private final Path root;
    /** {@code root} + "/": what an absolute path below the root starts with. */
    private final String rootPrefix;
    /**
     * An {@code O_PATH} descriptor of the root: every {@code statx} goes relative to it, so the
     * kernel walks the components below the export root, not the root's own from "/" each time;
     * -1 once {@link #close}d (a late call then fails with EBADF, never reaches another directory).
     */
    private volatile int rootFd;
    private final Clock clock;
    private final Libc libc;
    private final boolean birthTimes;
    private final long rootIno;
    private final Inode rootHandle;
    private final long rootDev;
    private final long fsid;
    private final FileStore store;
    private final InodeIndex index;
    final KernelHandles kernel;
    private final ChannelCache channels;
    /**
     * Sorted listings for READDIR resumed at a cookie: 16 directories, 64 MiB at most (a directory
     * of about three million names of 7 characters; see {@link ListingCache.Listing}).
     */
    private final ListingCache listings = new ListingCache(16, 64L << 20);
    /** Whether the file system takes {@code user.} extended attributes (probed once, at the root). */
    private final boolean xattrs;
    private final ReentrantReadWriteLock namespaceLock = new ReentrantReadWriteLock();
    private final ReentrantLock scanLock = new ReentrantLock();
    /** Most directory entries one fallback scan visits before it gives up (STALE). */
    static final long MAX_SCAN_ENTRIES = 1_000_000;
    /**
     * Run after an object's attributes are read and before its handle is made (tests rename
     * there, as another process could).
     */
    volatile Runnable handleHook = () -> { };
    /** Run at the start of each scan (tests block a scan on it). */
    volatile Runnable scanHook = () -> { };
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong kernelResolutions = new AtomicLong();

    /** Fallback scans of the export run so far (a figure for tests and metrics). */
    public long fallbackScans() {
        return scans.get();
    }

    /** Whether unknown handles are resolved through {@code open_by_handle_at} (else scanned). */
    public boolean kernelOpens() {
        return kernel.canOpen();
    }

    /** Handles the index did not know that the kernel's file handle resolved, so far. */
    public long kernelResolutions() {
        return kernelResolutions.get();
    }

    /** Threads waiting for another's scan to end (for tests). */
    int scansWaiting() {
        return scanLock.getQueueLength();
    }

    /** Whether any thread holds the namespace lock (for tests). */
    boolean namespaceLockHeld() {
        return namespaceLock.getReadLockCount() > 0 || namespaceLock.isWriteLocked();
    }

    public LocalFileSystem(Path root, Clock clock) throws IOException {
        this(root, clock, DEFAULT_OPEN_FILES);
    }

    /**
     * @param root an existing directory; it is resolved to its real path once, here
     * @param openFiles how many file channels to keep open for READ and WRITE
     */
    public LocalFileSystem(Path root, Clock clock, int openFiles) throws IOException {
        this(root, clock, openFiles, true);
    }

    /**
     * @param openByHandle whether to resolve unknown handles through {@code open_by_handle_at}
     *     (false: as a process without {@code CAP_DAC_READ_SEARCH}, for tests)
     */
    LocalFileSystem(Path root, Clock clock, int openFiles, boolean openByHandle) throws IOException {
        this.root = root.toRealPath();
        String r = this.root.toString();
        this.rootPrefix = r.endsWith("/") ? r : r + "/";
        this.clock = clock;
        if (!Files.isDirectory(this.root, NOFOLLOW)) {
            throw new NotDirectoryException(this.root.toString());
        }
        this.libc = new Libc();
        Libc.Statx a;
        try {
            a = libc.statx(this.root);
        } catch (Libc.ErrnoException e) {
            throw new IOException("statx of export root " + this.root, e);
        }
        try {
            this.rootFd = libc.openDirectory(this.root);
        } catch (Libc.ErrnoException e) {
            throw new IOException("open of export root " + this.root, e);
        }
        this.birthTimes = a.birthTimeKnown();
        if (!birthTimes) {
            LOG.warn("{}: the file system records no birth times; handles cannot tell a reused inode number"
                    + " from the original object", this.root);
        }
        this.rootIno = a.ino();
        this.kernel = new KernelHandles(libc, this.root, rootFd, openByHandle, KernelHandles.DEFAULT_CACHED);
        try {
            this.rootHandle = identify(a, "").handle();
        } catch (VfsException e) {
            throw new IOException("handle of export root " + this.root, e);
        }
        this.rootDev = a.dev();
        this.fsid = rootDev * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(rootIno, 29);
        this.store = Files.getFileStore(this.root);
        this.index = new InodeIndex(rootIno);
        this.channels = new ChannelCache(openFiles);
        this.xattrs = probeXattrs(libc, this.root);
    }

    /**
     * Whether {@code root}'s file system takes {@code user.} attributes: a read of one that does not
     * exist answers ENODATA where it does and EOPNOTSUPP where it does not (tmpfs before Linux 6.6,
     * ext4 mounted {@code nouser_xattr}).
     */
    private static boolean probeXattrs(Libc libc, Path root) {
        try {
            libc.lgetxattr(root, Xattrs.USER_PREFIX + "jnfsd.probe", Xattrs.SIZE_MAX);
            return true;
        } catch (Libc.ErrnoException e) {
            if (e.errno() == Libc.ENODATA || e.errno() == Libc.ERANGE) {
                return true;
            }
            LOG.info("{}: no user extended attributes ({}); xattr_support is false for this export", root,
                    e.getMessage());
            return false;
        }
    }

    /** Number of cached file channels, for tests. */
    int cachedChannels() {
        return channels.size();
    }

    @Override
    public Inode root() {
        return rootHandle;
    }

    @Override
    public long fsid() {
        return fsid;
    }

    @Override
    public Inode lookup(Inode dir, String name) throws VfsException {
        Inode found = lookupIfExists(dir, name);
        if (found == null) {
            throw new VfsException(VfsError.NOENT, "no " + name + " in the directory");
        }
        return found;
    }

    /** One {@code statx} of the name; an absent name costs no exception (OPEN with create expects it). */
    @Override
    public Inode lookupIfExists(Inode dir, String name) throws VfsException {
        checkName(name);
        namespaceLock.readLock().lock();
        try {
            Resolved d = resolveDirectory(dir);
            KernelHandles.Identified id = identifyOrNull(attrsOrNullAt(d.child(name)), d.child(name));
            if (id == null) {
                return null;
            }
            index.put(ino(id.attrs()), d.ino(), name);
            return id.handle();
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    /**
     * One {@code statx} of the directory (its resolution) and one of the name: two, not three; the
     * name's {@code statx} gives the entry's attributes too.
     */
    @Override
    public LookupResult lookupWithDir(Inode dir, String name) throws VfsException {
        checkName(name);
        namespaceLock.readLock().lock();
        try {
            Resolved d = resolve(dir);
            Stat dirStat = stat(d.attrs());
            if (dirStat.type() != FileType.DIRECTORY) {
                return new LookupResult(dirStat, null, null);
            }
            KernelHandles.Identified id = identifyOrNull(attrsOrNullAt(d.child(name)), d.child(name));
            if (id == null) {
                return new LookupResult(dirStat, null, null);
            }
            index.put(ino(id.attrs()), d.ino(), name);
            return new LookupResult(dirStat, id.handle(), stat(id.attrs()));
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    /**
     * With the directory's attributes from the operation before (LOOKUP after LOOKUP): one
     * {@code statx}, of the name at the path the index gives for the directory, instead of two.
     * The index's path was verified (statx and inode/generation) by that operation microseconds
     * ago, so this widens the window in which a rename by another process can make a search
     * land in the directory that took the old one's name by one operation, the same kind of
     * window as between the two {@code statx} of the full lookup. Anything but a found entry (the
     * name absent, a component gone or no longer a directory, the path unknown) is answered by
     * the full {@link #lookupWithDir(Inode, String)}, so a miss is never answered from a stale path.
     */
    @Override
    public LookupResult lookupWithDir(Inode dir, Stat dirAttrs, String name) throws VfsException {
        if (dirAttrs == null || dirAttrs.type() != FileType.DIRECTORY) {
            return lookupWithDir(dir, name);
        }
        checkName(name);
        long dirIno = inoOf(dir);
        namespaceLock.readLock().lock();
        try {
            String rel = dirIno == -1 ? null : index.relativePathOf(dirIno);
            if (rel != null) {
                String path = rel.isEmpty() ? name : rel + '/' + name;
                KernelHandles.Identified id;
                try {
                    id = identifyOrNull(libc.statxAt(rootFd, path, true), path);
                } catch (Libc.ErrnoException | VfsException e) {
                    id = null; // ENOTDIR and the like: the full lookup says what is wrong
                }
                if (id != null) {
                    index.put(ino(id.attrs()), dirIno, name);
                    return new LookupResult(dirAttrs, id.handle(), stat(id.attrs()));
                }
            }
        } finally {
            namespaceLock.readLock().unlock();
        }
        return lookupWithDir(dir, name);
    }

    /** The inode number a handle of this backend names, or -1 for a handle of another shape. */
    private static long inoOf(Inode inode) {
        byte[] b = inode.bytes();
        return KernelHandles.wellFormed(b) ? ByteBuffer.wrap(b).getLong() : -1;
    }

    @Override
    public Inode parent(Inode dir) throws VfsException {
        namespaceLock.readLock().lock();
        try {
            Resolved d = resolveDirectory(dir);
            if (d.ino() == rootIno) {
                return rootHandle;
            }
            Path up = d.path().getParent();
            return identify(attrs(up), relative(up)).handle();
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(inode);
            return stat(r.attrs());
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public Stat setattr(Inode inode, SetAttributes attrs) throws VfsException {
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(inode);
            apply(r, attrs);
            return stat(attrs(r.path()));
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    /**
     * Non-exclusive creation of an existing regular file applies only {@code attrs.size()} (so
     * size 0 truncates, as UNCHECKED4 asks); its other attributes stay as they are.
     *
     * <p>A new file is created with its mode in the one {@code open(O_CREAT | O_EXCL)}, and the
     * read-write channel that opened it goes to the channel cache: the WRITE that usually follows
     * a create neither resolves nor opens the file again.
     */
    @Override
    public Inode createFile(Inode dir, String name, SetAttributes attrs, boolean exclusive) throws VfsException {
        checkName(name);
        namespaceLock.readLock().lock();
        try {
            Resolved d = changingDirectory(dir);
            Path p = d.path().resolve(name);
            FileChannel channel;
            try {
                channel = FileChannel.open(p, CREATE_NEW_READ_WRITE,
                        PosixFilePermissions.asFileAttribute(permissions(attrs.mode() != null ? attrs.mode() : 0644)));
            } catch (FileAlreadyExistsException e) {
                if (exclusive) {
                    throw new VfsException(VfsError.EXIST, name, e);
                }
                Libc.Statx a = attrs(p);
                FileType t = type(a);
                if (t != FileType.REGULAR) {
                    throw new VfsException(t == FileType.DIRECTORY ? VfsError.ISDIR : VfsError.EXIST, name, e);
                }
                index.put(ino(a), d.ino(), name);
                Resolved r = resolved(p, a, ino(a), generation(a));
                if (attrs.size() != null) {
                    apply(r, new SetAttributes(null, null, null, attrs.size(), null, null));
                }
                return identify(a, r.rel()).handle();
            } catch (IOException e) {
                throw error(e, "create " + name);
            }
            return created(d, name, p, attrs, 0644, channel);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    /** The permission bits of {@code mode} (setuid, setgid and sticky are left to chmod). */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < PERMISSION_BITS.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(PERMISSION_BITS[i]);
            }
        }
        return set;
    }

    @Override
    public Inode mkdir(Inode dir, String name, SetAttributes attrs) throws VfsException {
        checkName(name);
        namespaceLock.readLock().lock();
        try {
            Resolved d = changingDirectory(dir);
            Path p = d.path().resolve(name);
            try {
                Files.createDirectory(p);
            } catch (IOException e) {
                throw error(e, "mkdir " + name);
            }
            return created(d, name, p, attrs, 0755, null);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public Inode symlink(Inode dir, String name, String target, SetAttributes attrs) throws VfsException {
        checkName(name);
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.INVAL, "symlink target");
        }
        namespaceLock.readLock().lock();
        try {
            Resolved d = changingDirectory(dir);
            Path p = d.path().resolve(name);
            try {
                libc.symlink(target, p);
            } catch (Libc.ErrnoException e) {
                throw error(e, "symlink " + name);
            }
            return created(d, name, p, attrs, null, null);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public Inode mknod(Inode dir, String name, FileType type, int major, int minor, SetAttributes attrs)
            throws VfsException {
        checkName(name);
        int typeBits = switch (type) {
            case FIFO -> Libc.S_IFIFO;
            case SOCKET -> Libc.S_IFSOCK;
            case BLOCK_DEVICE -> Libc.S_IFBLK;
            case CHAR_DEVICE -> Libc.S_IFCHR;
            default -> throw new VfsException(VfsError.BADTYPE, "mknod of " + type);
        };
        boolean device = type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE;
        namespaceLock.readLock().lock();
        try {
            Resolved d = changingDirectory(dir);
            Path p = d.path().resolve(name);
            try {
                libc.mknod(p, typeBits | 0600, device ? major : 0, device ? minor : 0);
            } catch (Libc.ErrnoException e) {
                throw error(e, "mknod " + name);
            }
            return created(d, name, p, attrs, 0644, null);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public void link(Inode target, Inode dir, String name) throws VfsException {
        checkName(name);
        namespaceLock.readLock().lock();
        try {
            Resolved t = resolve(target);
            if (type(t.attrs()) == FileType.DIRECTORY) {
                throw new VfsException(VfsError.ISDIR, "hard link to a directory");
            }
            Resolved d = changingDirectory(dir);
            try {
                Files.createLink(d.path().resolve(name), t.path());
            } catch (IOException e) {
                throw error(e, "link " + name);
            }
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public void remove(Inode dir, String name) throws VfsException {
        checkName(name);
        namespaceLock.writeLock().lock();
        try {
            Resolved d = changingDirectory(dir);
            Path p = d.path().resolve(name);
            Libc.Statx a = attrs(p);
            try {
                Files.delete(p);
            } catch (IOException e) {
                throw error(e, "remove " + name);
            }
            unlinked(d.ino(), name, a);
        } finally {
            namespaceLock.writeLock().unlock();
        }
    }

    @Override
    public void rename(Inode fromDir, String fromName, Inode toDir, String toName) throws VfsException {
        checkName(fromName);
        checkName(toName);
        namespaceLock.writeLock().lock();
        try {
            Resolved from = changingDirectory(fromDir);
            Resolved to = changingDirectory(toDir);
            Path src = from.path().resolve(fromName);
            Path dst = to.path().resolve(toName);
            Libc.Statx moving = attrs(src);
            Libc.Statx replaced = attrsOrNull(dst);
            if (replaced != null && ino(replaced) == ino(moving)) {
                return; // two names of one object (or the same name): POSIX rename does nothing
            }
            boolean movingDir = type(moving) == FileType.DIRECTORY;
            if (movingDir && to.path().startsWith(src)) {
                throw new VfsException(VfsError.INVAL, "rename of a directory into itself");
            }
            if (replaced != null) {
                boolean replacedDir = type(replaced) == FileType.DIRECTORY;
                if (movingDir && !replacedDir) {
                    throw new VfsException(VfsError.NOTDIR, toName);
                }
                if (!movingDir && replacedDir) {
                    throw new VfsException(VfsError.ISDIR, toName);
                }
                if (replacedDir && !isEmptyDirectory(dst)) {
                    throw new VfsException(VfsError.NOTEMPTY, toName);
                }
            }
            try {
                Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw error(e, "rename " + fromName + " to " + toName);
            }
            index.put(ino(moving), to.ino(), toName);
            if (replaced != null) {
                unlinked(to.ino(), toName, replaced);
            }
        } finally {
            namespaceLock.writeLock().unlock();
        }
    }

    @Override
    public String readlink(Inode symlink) throws VfsException {
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(symlink);
            if (type(r.attrs()) != FileType.SYMLINK) {
                throw new VfsException(VfsError.INVAL, "not a symlink: " + type(r.attrs()));
            }
            return Files.readSymbolicLink(r.path()).toString();
        } catch (IOException e) {
            throw error(e, "readlink");
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public DirList readdir(Inode dir, long cookie, int maxEntries) throws VfsException {
        if (maxEntries < 1) {
            throw new VfsException(VfsError.INVAL, "maxEntries " + maxEntries);
        }
        namespaceLock.readLock().lock();
        try {
            Resolved d = resolveDirectory(dir);
            ListingCache.Key key = new ListingCache.Key(d.ino(), d.generation());
            ListingCache.Listing all = listings.get(key, d.attrs().mtime(), d.attrs().ctime());
            if (all == null) {
                all = listSorted(d.path()); // after the statx that read the times: a change meanwhile moves them on
                listings.put(key, d.attrs().mtime(), d.attrs().ctime(), all);
            }
            List<DirEntry> out = new ArrayList<>(Math.min(maxEntries, all.size()));
            int i = all.firstAfter(cookie);
            for (; i < all.size() && out.size() < maxEntries; i++) {
                String name = all.name(i);
                KernelHandles.Identified id = identifyOrNull(attrsOrNullAt(d.child(name)), d.child(name));
                if (id == null) {
                    continue; // removed since the listing: it is not in the directory any more
                }
                index.put(ino(id.attrs()), d.ino(), name);
                out.add(new DirEntry(name, id.handle(), all.cookie(i), stat(id.attrs())));
            }
            return new DirList(List.copyOf(out), i >= all.size());
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public boolean read(Inode file, long offset, ByteBuffer dst) throws VfsException {
        checkOffset(offset);
        try (ChannelCache.Lease lease = leaseWithLock(file, false)) {
            FileChannel ch = lease.channel();
            long pos = offset;
            while (dst.hasRemaining()) {
                int n = ch.read(dst, pos);
                if (n < 0) {
                    return true;
                }
                pos += n;
            }
            return pos >= ch.size();
        } catch (IOException e) {
            throw error(e, "read");
        }
    }

    @Override
    public void write(Inode file, long offset, ByteBuffer src, Stability stability) throws VfsException {
        write(file, offset, new ByteBuffer[] {src}, stability);
    }

    /** One channel lease and one {@code pwrite} per buffer (FileChannel has no positional gather write). */
    @Override
    public void write(Inode file, long offset, ByteBuffer[] srcs, Stability stability) throws VfsException {
        checkOffset(offset);
        try (ChannelCache.Lease lease = leaseWithLock(file, true)) {
            FileChannel ch = lease.channel();
            long pos = offset;
            for (ByteBuffer src : srcs) {
                while (src.hasRemaining()) {
                    pos += ch.write(src, pos);
                }
            }
            switch (stability) {
                case FILE_SYNC -> ch.force(true);
                case DATA_SYNC -> ch.force(false);
                case UNSTABLE -> {}
            }
        } catch (IOException e) {
            throw error(e, "write");
        }
    }

    @Override
    public void commit(Inode file) throws VfsException {
        try (ChannelCache.Lease lease = leaseWithLock(file, false)) {
            lease.channel().force(true);
        } catch (IOException e) {
            throw error(e, "commit");
        }
    }

    @Override
    public SeekResult seek(Inode file, long offset, SeekWhat what) throws VfsException {
        checkOffset(offset);
        try (Libc.Fd fd = openWithLock(file, false)) {
            long size = libc.lseek(fd, 0, SEEK_END);
            if (offset >= size) {
                throw new VfsException(VfsError.NXIO, "seek at " + offset + ", size " + size);
            }
            long at = libc.lseek(fd, offset, what == SeekWhat.DATA ? Libc.SEEK_DATA : Libc.SEEK_HOLE);
            return new SeekResult(at >= size, at);
        } catch (Libc.ErrnoException e) {
            throw error(e, "seek");
        }
    }

    /** {@code fallocate} mode 0; a file system without it gives NOTSUPP. */
    @Override
    public void allocate(Inode file, long offset, long length) throws VfsException {
        checkRange(offset, length);
        try (Libc.Fd fd = openWithLock(file, true)) {
            libc.fallocate(fd, 0, offset, length);
        } catch (Libc.ErrnoException e) {
            throw error(e, "allocate");
        }
    }

    /** {@code fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)}. */
    @Override
    public void deallocate(Inode file, long offset, long length) throws VfsException {
        checkRange(offset, length);
        try (Libc.Fd fd = openWithLock(file, true)) {
            libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, offset, length);
        } catch (Libc.ErrnoException e) {
            throw error(e, "deallocate");
        }
    }

    /** The file system's block size; whether it can reflink at all shows only when {@link #clone} is tried. */
    @Override
    public int cloneBlockSize() {
        try {
            return (int) Math.min(Integer.MAX_VALUE, store.getBlockSize());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no block size for {}", root, e);
            return 4096;
        }
    }

    /**
     * {@code ioctl(FICLONERANGE)}; a file system that cannot reflink (ext4, tmpfs) says EOPNOTSUPP
     * (or EXDEV, ENOTTY): NOTSUPP.
     */
    @Override
    public void clone(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        checkRange(srcOffset, length);
        checkRange(dstOffset, length);
        if (length == 0) {
            return; // FICLONERANGE would read 0 as "to the end"
        }
        try (Libc.Fd in = openWithLock(src, false); Libc.Fd out = openWithLock(dst, true)) {
            libc.cloneRange(in, srcOffset, out, dstOffset, length);
        } catch (Libc.ErrnoException e) {
            if (e.errno() == Libc.EOPNOTSUPP || e.errno() == Libc.EXDEV || e.errno() == Libc.ENOTTY) {
                throw new VfsException(VfsError.NOTSUPP, "the file system cannot clone: " + e.getMessage(), e);
            }
            throw error(e, "clone");
        }
    }

    /**
     * {@code copy_file_range} (inside the kernel, a reflink or server-side copy where the file
     * system offers one); where the kernel refuses (EXDEV, EOPNOTSUPP, EINVAL, ENOSYS) the rest is a
     * streaming copy.
     */
    @Override
    public long copy(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        checkRange(srcOffset, length);
        checkRange(dstOffset, length);
        long done = 0;
        try (Libc.Fd in = openWithLock(src, false); Libc.Fd out = openWithLock(dst, true)) {
            while (done < length) {
                long n;
                try {
                    n = libc.copyFileRange(in, srcOffset + done, out, dstOffset + done, length - done);
                } catch (Libc.ErrnoException e) {
                    if (!KERNEL_COPY_REFUSED.contains(e.errno())) {
                        throw e;
                    }
                    LOG.debug("copy_file_range refused ({}), streaming the rest", e.getMessage());
                    return done + Copying.stream(this, src, srcOffset + done, dst, dstOffset + done, length - done);
                }
                if (n == 0) {
                    break;
                }
                done += n;
            }
            return done;
        } catch (Libc.ErrnoException e) {
            throw error(e, "copy");
        }
    }

    /** namespaceLock taken to resolve; a new descriptor of regular file {@code file}, closed by the caller. */
    private Libc.Fd openWithLock(Inode file, boolean write) throws VfsException, Libc.ErrnoException {
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(file);
            FileType t = type(r.attrs());
            if (t == FileType.DIRECTORY) {
                throw new VfsException(VfsError.ISDIR, "I/O on a directory");
            }
            if (t != FileType.REGULAR) {
                throw new VfsException(VfsError.INVAL, "I/O on a " + t);
            }
            return libc.open(r.path(), write);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    @Override
    public boolean xattrSupport() {
        return xattrs;
    }

    /** {@code lgetxattr} of the verified path: the object itself, never a symlink's target. */
    @Override
    public byte[] getxattr(Inode inode, String name) throws VfsException {
        Xattrs.checkName(name);
        requireXattrs();
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(inode);
            return libc.lgetxattr(r.path(), Xattrs.USER_PREFIX + name, Xattrs.SIZE_MAX);
        } catch (Libc.ErrnoException e) {
            throw error(e, "getxattr " + name);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    /** {@code lsetxattr}; the kernel refuses user attributes on other types than files and directories (EPERM). */
    @Override
    public void setxattr(Inode inode, String name, byte[] value, XattrMode mode) throws VfsException {
        Xattrs.checkName(name);
        Xattrs.checkValue(value);
        requireXattrs();
        int flags = switch (mode) {
            case EITHER -> 0;
            case CREATE -> Libc.XATTR_CREATE;
            case REPLACE -> Libc.XATTR_REPLACE;
        };
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(inode);
            libc.lsetxattr(r.path(), Xattrs.USER_PREFIX + name, value, flags);
        } catch (Libc.ErrnoException e) {
            throw error(e, "setxattr " + name);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    /**
     * {@code llistxattr}, the {@code user.} names only, prefix removed, sorted. Names that are not
     * UTF-8 are left out: NFS could not name them.
     */
    @Override
    public List<String> listxattr(Inode inode) throws VfsException {
        requireXattrs();
        List<String> all;
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(inode);
            all = libc.llistxattr(r.path(), Xattrs.LIST_MAX);
        } catch (Libc.ErrnoException e) {
            throw error(e, "listxattr");
        } finally {
            namespaceLock.readLock().unlock();
        }
        List<String> user = new ArrayList<>();
        for (String n : all) {
            if (n.startsWith(Xattrs.USER_PREFIX) && n.length() > Xattrs.USER_PREFIX.length() && n.indexOf('\uFFFD') < 0) {
                user.add(n.substring(Xattrs.USER_PREFIX.length()));
            }
        }
        user.sort(Comparator.naturalOrder());
        return user;
    }

    @Override
    public void removexattr(Inode inode, String name) throws VfsException {
        Xattrs.checkName(name);
        requireXattrs();
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(inode);
            libc.lremovexattr(r.path(), Xattrs.USER_PREFIX + name);
        } catch (Libc.ErrnoException e) {
            throw error(e, "removexattr " + name);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    private void requireXattrs() throws VfsException {
        if (!xattrs) {
            throw new VfsException(VfsError.NOTSUPP, root + ": the file system takes no user extended attributes");
        }
    }

    @Override
    public FsStat fsStat() throws VfsException {
        try {
            Libc.FileCounts files = libc.statvfs(root);
            return new FsStat(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace(),
                    files.total(), files.free(), files.avail());
        } catch (IOException e) {
            throw error(e, "fsstat");
        } catch (Libc.ErrnoException e) {
            throw error(e, "fsstat");
        }
    }

    @Override
    public long maxFileSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int maxNameLength() {
        return NAME_MAX;
    }

    /** Closes the cached file channels (those in use when their READ or WRITE ends); later I/O fails. */
    @Override
    public void close() {
        channels.close();
        kernel.close();
        int fd = rootFd;
        rootFd = -1;
        if (fd >= 0) {
            try {
                libc.closeDescriptor(fd, root);
            } catch (Libc.ErrnoException e) {
                LOG.warn("closing the descriptor of export root {}", root, e);
            }
        }
    }

    /** The export root's real path. */
    public Path rootPath() {
        return root;
    }

    // ---- handles and resolution ----

    /**
     * The handle of the object of attributes {@code a} just read at {@code rel} (relative to the
     * root), with attributes of the same object ({@link KernelHandles#identify}: {@code a}, or
     * those of the object a local rename put at {@code rel} since); NOENT when nothing is there now.
     */
    private KernelHandles.Identified identify(Libc.Statx a, String rel) throws VfsException {
        KernelHandles.Identified id = identifyOrNull(a, rel);
        if (id == null) {
            throw new VfsException(VfsError.NOENT, "removed while looked up: " + lastName(rel));
        }
        return id;
    }

    /** Like {@link #identify}, but null when {@code a} is null or nothing is at {@code rel} now. */
    private KernelHandles.Identified identifyOrNull(Libc.Statx a, String rel) throws VfsException {
        if (a == null) {
            return null;
        }
        handleHook.run();
        try {
            return kernel.identify(a, generation(a), this::generation, rootFd, rel);
        } catch (Libc.ErrnoException e) {
            if (e.errno() == Libc.ENOENT || e.errno() == Libc.ENOTDIR) {
                return null; // removed or renamed away by another process since a was read
            }
            throw error(e, "handle of " + lastName(rel));
        }
    }

    private static String lastName(String rel) {
        return rel.substring(rel.lastIndexOf('/') + 1);
    }

    /** Handles made by system calls, not taken from the cache, so far (for tests). */
    long handlesMade() {
        return kernel.handlesMade();
    }

    private long generation(Libc.Statx a) {
        if (!birthTimes) {
            return 0;
        }
        return nanos(a.btime());
    }

    /** namespaceLock held. The verified path of {@code inode}, or STALE. */
    private Resolved resolve(Inode inode) throws VfsException {
        byte[] b = inode.bytes();
        if (!KernelHandles.wellFormed(b)) {
            throw new VfsException(VfsError.STALE, "not a local handle: " + inode);
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        long ino = buf.getLong();
        long gen = buf.getLong();
        Resolved r = tryIndexed(ino, gen);
        if (r != null) {
            return r;
        }
        if (index.isMissing(ino, gen)) {
            throw new VfsException(VfsError.STALE, "removed: " + inode);
        }
        r = byKernelHandle(b, ino, gen);
        if (r != null) {
            return r;
        }
        // the scan runs without the namespace lock when this thread holds only one read hold of it,
        // so removes and renames of other clients go on meanwhile; the scan only fills the index,
        // and the answer is verified again (by stat) under the lock
        boolean release = namespaceLock.getReadHoldCount() == 1 && !namespaceLock.isWriteLockedByCurrentThread();
        if (release) {
            namespaceLock.readLock().unlock();
        }
        scanLock.lock();
        try {
            r = tryIndexed(ino, gen); // another scan may have found it meanwhile
            if (r == null) {
                r = scan(ino, gen);
            }
        } finally {
            scanLock.unlock();
            if (release) {
                namespaceLock.readLock().lock();
            }
        }
        if (release && r != null) {
            r = tryIndexed(ino, gen); // renamed or removed while the lock was free
        }
        if (r == null) {
            index.markMissing(ino, gen);
            throw new VfsException(VfsError.STALE, "not in the export: " + inode);
        }
        return r;
    }

    /**
     * namespaceLock held. The object of handle {@code b} at the path the kernel gives for its
     * kernel part, every directory on the way indexed; null when the kernel cannot say (the caller
     * scans). A few system calls, whatever the size of the export.
     */
    private Resolved byKernelHandle(byte[] b, long ino, long gen) throws VfsException {
        String rel;
        try {
            rel = kernel.pathOf(b);
        } catch (KernelHandles.Gone e) {
            index.markMissing(ino, gen);
            throw new VfsException(VfsError.STALE, "gone: " + e.getMessage());
        }
        if (rel == null || rel.isEmpty()) {
            return null;
        }
        long parent = rootIno;
        int start = 0;
        while (true) {
            int slash = rel.indexOf('/', start);
            int end = slash < 0 ? rel.length() : slash;
            Libc.Statx a = attrsOrNullAt(rel.substring(0, end));
            if (a == null) {
                return null; // renamed or removed since the kernel named it
            }
            index.put(ino(a), parent, rel.substring(start, end));
            parent = ino(a);
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        Resolved r = tryIndexed(ino, gen);
        if (r != null) {
            kernelResolutions.incrementAndGet();
        }
        return r;
    }

    /** namespaceLock held. The object at the path the index gives, if it is still that object. */
    private Resolved tryIndexed(long ino, long gen) throws VfsException {
        String rel = index.relativePathOf(ino);
        if (rel == null) {
            return null;
        }
        Libc.Statx a;
        try {
            a = libc.statxAt(rootFd, rel, false);
        } catch (Libc.ErrnoException e) {
            if (e.errno() == Libc.ENOENT || e.errno() == Libc.ENOTDIR) {
                LOG.debug("indexed path {} of inode {} is gone", rel, ino, e);
                return null;
            }
            throw error(e, "stat");
        }
        if (ino(a) != ino || generation(a) != gen) {
            return null;
        }
        return new Resolved(root, rel, a, ino, gen);
    }

    /** A Resolved of absolute path {@code p} (below the root, or the root). */
    private Resolved resolved(Path p, Libc.Statx a, long ino, long gen) {
        return new Resolved(root, relative(p), a, ino, gen);
    }

    /** {@code p} relative to the root when it is below it ("" for the root), else {@code p} as it is. */
    private String relative(Path p) {
        String s = p.toString();
        if (s.startsWith(rootPrefix)) {
            return s.substring(rootPrefix.length());
        }
        return s.length() + 1 == rootPrefix.length() && rootPrefix.startsWith(s) ? "" : s;
    }

    /**
     * scanLock held, namespaceLock usually not (see resolve). Walks the export breadth-first,
     * indexing everything it sees, until it meets {@code ino}, at most {@link #MAX_SCAN_ENTRIES}
     * entries; null when the object is not there (or has another generation) or the bound is hit.
     */
    private Resolved scan(long ino, long gen) throws VfsException {
        LOG.debug("scanning {} for inode {}", root, ino);
        scans.incrementAndGet();
        scanHook.run();
        long visited = 0;
        record Dir(long ino, Path path) {}
        ArrayDeque<Dir> queue = new ArrayDeque<>();
        queue.add(new Dir(rootIno, root));
        while (!queue.isEmpty()) {
            Dir d = queue.poll();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.path())) {
                for (Path child : ds) {
                    if (++visited > MAX_SCAN_ENTRIES) {
                        LOG.warn("scan of {} for inode {} stopped after {} entries", root, ino, MAX_SCAN_ENTRIES);
                        return null;
                    }
                    Libc.Statx a = attrsOrNull(child);
                    if (a == null || a.dev() != rootDev) {
                        continue; // vanished since listed, or a mount point: not part of this export
                    }
                    long childIno = ino(a);
                    index.put(childIno, d.ino(), child.getFileName().toString());
                    if (childIno == ino) {
                        return generation(a) == gen ? resolved(child, a, ino, gen) : null;
                    }
                    if (type(a) == FileType.DIRECTORY) {
                        queue.add(new Dir(childIno, child));
                    }
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                LOG.debug("directory {} vanished during a scan", d.path(), e);
            } catch (IOException e) {
                throw error(e, "scan " + d.path());
            }
        }
        return null;
    }

    /** The number of directory listings cached (tests: a change through the backend drops its directory's). */
    int cachedListings() {
        return listings.size();
    }

    /**
     * namespaceLock held. {@link #resolveDirectory} of a directory whose entries the caller is
     * about to change: its cached listing goes (a listing read meanwhile has the directory's
     * times from before the change, which the change moves on, so it is not used either).
     */
    private Resolved changingDirectory(Inode inode) throws VfsException {
        Resolved r = resolveDirectory(inode);
        listings.invalidate(r.ino());
        return r;
    }

    /** namespaceLock held. */
    private Resolved resolveDirectory(Inode inode) throws VfsException {
        Resolved r = resolve(inode);
        FileType t = type(r.attrs());
        if (t != FileType.DIRECTORY) {
            throw new VfsException(VfsError.NOTDIR, "a " + t + " is not a directory");
        }
        return r;
    }

    /** A lease on the channel of regular file {@code file}; takes namespaceLock only to open one. */
    private ChannelCache.Lease leaseWithLock(Inode file, boolean forWrite) throws VfsException, IOException {
        byte[] b = file.bytes();
        if (!KernelHandles.wellFormed(b)) {
            throw new VfsException(VfsError.STALE, "not a local handle: " + file);
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        ChannelCache.Key key = new ChannelCache.Key(buf.getLong(), buf.getLong());
        ChannelCache.Lease lease = channels.tryAcquire(key, forWrite);
        if (lease != null) {
            return lease;
        }
        namespaceLock.readLock().lock();
        try {
            Resolved r = resolve(file);
            FileType t = type(r.attrs());
            if (t == FileType.DIRECTORY) {
                throw new VfsException(VfsError.ISDIR, "I/O on a directory");
            }
            if (t != FileType.REGULAR) {
                throw new VfsException(VfsError.INVAL, "I/O on a " + t);
            }
            return channels.acquire(key, r.path(), forWrite);
        } finally {
            namespaceLock.readLock().unlock();
        }
    }

    // ---- creation, attributes, removal ----

    /**
     * namespaceLock held. Applies the attributes of a new object, indexes it and returns its
     * handle. An owner or mode the object already has is not set again: the new object has no
     * setuid bit a {@code chown} would clear, so those calls would change nothing. Takes ownership
     * of {@code channel}, the new regular file's open read-write channel (or null): it goes to the
     * channel cache.
     */
    private Inode created(Resolved dir, String name, Path p, SetAttributes attrs, Integer defaultMode,
            FileChannel channel) throws VfsException {
        Libc.Statx a;
        try {
            a = attrs(p);
        } catch (VfsException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
        Resolved r = resolved(p, a, ino(a), generation(a));
        if (channel != null) {
            channels.adopt(new ChannelCache.Key(r.ino(), r.generation()), channel);
        }
        Integer mode = attrs.mode() != null ? attrs.mode() : defaultMode;
        try {
            apply(r, new SetAttributes(
                    mode != null && (mode & 07777) != (a.mode() & 07777) ? mode : null,
                    attrs.uid() != null && attrs.uid() != a.uid() ? attrs.uid() : null,
                    attrs.gid() != null && attrs.gid() != a.gid() ? attrs.gid() : null,
                    attrs.size(), attrs.atime(), attrs.mtime()));
        } catch (VfsException | RuntimeException e) {
            undoCreate(r, name, e);
            throw e;
        }
        index.put(r.ino(), dir.ino(), name);
        return identify(a, r.rel()).handle();
    }

    /**
     * A create whose attributes could not be set (issue 16: an unprivileged server's chown to the
     * client's uid fails with EPERM) leaves nothing behind: the new object is removed, so that the
     * error the client gets is the whole outcome. If another client already put something in a new
     * directory, it stays, and the failure says so.
     */
    private void undoCreate(Resolved r, String name, Exception failure) {
        channels.invalidate(new ChannelCache.Key(r.ino(), r.generation()));
        try {
            Files.deleteIfExists(r.path());
        } catch (IOException e) {
            failure.addSuppressed(new IOException("could not remove the half-created " + name, e));
        }
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** namespaceLock held. */
    private void apply(Resolved r, SetAttributes s) throws VfsException {
        Path p = r.path();
        FileType t = type(r.attrs());
        try {
            if (s.size() != null) {
                if (t == FileType.DIRECTORY) {
                    throw new VfsException(VfsError.ISDIR, "size of a directory");
                }
                if (t != FileType.REGULAR) {
                    throw new VfsException(VfsError.INVAL, "size of a " + t);
                }
                long size = s.size();
                if (size < 0) {
                    throw new VfsException(VfsError.INVAL, "size " + size);
                }
                try (ChannelCache.Lease lease = channels.acquire(new ChannelCache.Key(r.ino(), r.generation()), p, true)) {
                    FileChannel ch = lease.channel();
                    long current = ch.size();
                    if (size < current) {
                        ch.truncate(size);
                    } else if (size > current) {
                        ch.write(ByteBuffer.allocate(1), size - 1);
                    }
                }
            }
            if (s.uid() != null) {
                Files.setAttribute(p, "unix:uid", s.uid(), NOFOLLOW);
            }
            if (s.gid() != null) {
                Files.setAttribute(p, "unix:gid", s.gid(), NOFOLLOW);
            }
            if (s.mode() != null && t != FileType.SYMLINK) {
                try {
                    libc.chmodNoFollow(p, s.mode() & 07777);
                } catch (Libc.ErrnoException e) {
                    throw error(e, "chmod");
                }
            }
            if (s.atime() != null || s.mtime() != null) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
                        .setTimes(fileTime(s.mtime()), fileTime(s.atime()), null);
            }
        } catch (IOException e) {
            throw error(e, "setattr");
        }
    }

    private FileTime fileTime(SetAttributes.TimeValue v) {
        if (v == null) {
            return null;
        }
        return FileTime.from(v.isServerNow() ? clock.instant() : v.instant());
    }

    /** namespaceLock held for writing. One name of the object {@code a} was removed from {@code dirIno}. */
    private void unlinked(long dirIno, String name, Libc.Statx a) {
        long ino = ino(a);
        index.forget(ino, dirIno, name);
        int nlink = a.nlink();
        if (type(a) == FileType.DIRECTORY || nlink <= 1) {
            long gen = generation(a);
            index.markMissing(ino, gen);
            channels.invalidate(new ChannelCache.Key(ino, gen));
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws VfsException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        } catch (IOException e) {
            throw error(e, "list");
        }
    }

    /** The names of {@code dir} in cookie order, colliding hashes made distinct (see {@link DirCookies}). */
    private static ListingCache.Listing listSorted(Path dir) throws VfsException {
        List<Named> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                names.add(new Named(n, DirCookies.of(n)));
            }
        } catch (IOException e) {
            throw error(e, "readdir");
        }
        names.sort(Comparator.comparingLong(Named::cookie).thenComparing(Named::name));
        List<Named> out = new ArrayList<>(names.size());
        long last = 0;
        for (Named n : names) {
            long c = n.cookie() > last ? n.cookie() : DirCookies.next(last);
            out.add(c == n.cookie() ? n : new Named(n.name(), c));
            last = c;
        }
        return ListingCache.Listing.of(out);
    }

    // ---- attributes ----

    /**
     * The attributes of {@code p}, not following a final symlink: one {@code statx}, no attribute
     * string to parse nor map to fill (what {@code Files.readAttributes(p, "unix:...")} costs).
     */
    private Libc.Statx attrs(Path p) throws VfsException {
        try {
            return libc.statxAt(rootFd, relative(p), false);
        } catch (Libc.ErrnoException e) {
            throw error(e, "stat " + p.getFileName());
        }
    }

    /** The attributes of {@code p}, or null when it does not exist. */
    private Libc.Statx attrsOrNull(Path p) throws VfsException {
        return attrsOrNullAt(relative(p));
    }

    /** The attributes of root-relative path {@code rel}, or null when it does not exist. */
    private Libc.Statx attrsOrNullAt(String rel) throws VfsException {
        try {
            return libc.statxAt(rootFd, rel, true);
        } catch (Libc.ErrnoException e) {
            throw error(e, "stat " + rel.substring(rel.lastIndexOf('/') + 1));
        }
    }

    private static long ino(Libc.Statx a) {
        return a.ino();
    }

    private static FileType type(Libc.Statx a) {
        int mode = a.mode();
        return switch (mode & 0170000) {
            case 0040000 -> FileType.DIRECTORY;
            case 0120000 -> FileType.SYMLINK;
            case 0060000 -> FileType.BLOCK_DEVICE;
            case 0020000 -> FileType.CHAR_DEVICE;
            case 0010000 -> FileType.FIFO;
            case 0140000 -> FileType.SOCKET;
            default -> FileType.REGULAR;
        };
    }

    private static Stat stat(Libc.Statx a) {
        long space = a.blocks() >= 0 ? a.blocks() * 512 : a.size();
        return new Stat(type(a), a.ino(), a.mode() & 07777, a.nlink(), a.uid(), a.gid(), a.size(), space,
                a.atime(), a.mtime(), a.ctime(), a.btime(), nanos(a.ctime()), a.rdevMajor(), a.rdevMinor());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    // ---- argument checks and errors ----




    /** The one mapping of Java I/O exceptions to backend errors. */
    static VfsException error(IOException e, String what) {
        VfsError err = switch (e) {
            case NoSuchFileException x -> VfsError.NOENT;
            case FileAlreadyExistsException x -> VfsError.EXIST;
            case DirectoryNotEmptyException x -> VfsError.NOTEMPTY;
            case NotDirectoryException x -> VfsError.NOTDIR;
            case AccessDeniedException x -> VfsError.ACCESS;
            case NotLinkException x -> VfsError.INVAL;
            case AtomicMoveNotSupportedException x -> VfsError.XDEV;
            case FileSystemLoopException x -> VfsError.INVAL;
            case FileSystemException x -> byReason(x.getReason());
            default -> byReason(e.getMessage());
        };
        return new VfsException(err, what + ": " + e.getMessage(), e);
    }

    /**
     * Errors Java reports only as text ({@code strerror}); the JVM does not localise these. ELOOP
     * comes only from refusing to follow a final symlink where another type was needed: INVAL.
     */
    private static VfsError byReason(String reason) {
        if (reason == null) {
            return VfsError.IO;
        }
        if (reason.startsWith("Not a directory")) {
            return VfsError.NOTDIR;
        } else if (reason.startsWith("Is a directory")) {
            return VfsError.ISDIR;
        } else if (reason.startsWith("Directory not empty")) {
            return VfsError.NOTEMPTY;
        } else if (reason.startsWith("File exists")) {
            return VfsError.EXIST;
        } else if (reason.startsWith("File name too long")) {
            return VfsError.NAMETOOLONG;
        } else if (reason.startsWith("Too many levels of symbolic links")) {
            return VfsError.INVAL;
        } else if (reason.startsWith("Too many open files")) {
            return VfsError.DELAY; // EMFILE, ENFILE: the channel cache already closed what it could
        } else if (reason.startsWith("No space left on device")) {
            return VfsError.NOSPC;
        } else if (reason.startsWith("Disk quota exceeded")) {
            return VfsError.DQUOT;
        } else if (reason.startsWith("Read-only file system")) {
            return VfsError.ROFS;
        } else if (reason.startsWith("Invalid cross-device link")) {
            return VfsError.XDEV;
        } else if (reason.startsWith("Operation not permitted")) {
            return VfsError.PERM;
        } else if (reason.startsWith("Permission denied")) {
            return VfsError.ACCESS;
        } else if (reason.startsWith("Too many links")) {
            return VfsError.MLINK;
        } else if (reason.startsWith("File too large")) {
            return VfsError.FBIG;
        } else if (reason.startsWith("Invalid argument")) {
            return VfsError.INVAL;
        } else if (reason.startsWith("No such file or directory")) {
            return VfsError.NOENT;
        }
        return VfsError.IO;
    }

    static VfsException error(Libc.ErrnoException e, String what) {
        VfsError err = switch (e.errno()) {
            case Libc.ENOENT -> VfsError.NOENT;
            case Libc.EEXIST -> VfsError.EXIST;
            case Libc.ENOTDIR -> VfsError.NOTDIR;
            case Libc.EPERM -> VfsError.PERM;
            case Libc.EACCES -> VfsError.ACCESS;
            case Libc.EINVAL, Libc.ELOOP -> VfsError.INVAL;
            case Libc.ENOSPC -> VfsError.NOSPC;
            case Libc.EDQUOT -> VfsError.DQUOT;
            case Libc.EROFS -> VfsError.ROFS;
            case Libc.ENAMETOOLONG -> VfsError.NAMETOOLONG;
            case Libc.ENXIO -> VfsError.NXIO;
            case Libc.EXDEV -> VfsError.XDEV;
            case Libc.EFBIG -> VfsError.FBIG;
            case Libc.EOPNOTSUPP -> VfsError.NOTSUPP;
            case Libc.ENODATA -> VfsError.NOXATTR;
            case Libc.E2BIG, Libc.ERANGE -> VfsError.XATTR2BIG;
            default -> VfsError.IO;
        };
        return new VfsException(err, what + ": " + e.getMessage(), e);
    }
}

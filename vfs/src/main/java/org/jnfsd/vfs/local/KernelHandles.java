package org.jnfsd.vfs.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.ToLongFunction;
import org.jnfsd.vfs.Inode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's own file handles of a {@link LocalFileSystem}'s objects (issue 16): each handle the
 * backend gives carries the object's {@code name_to_handle_at} handle after its inode number and
 * generation, so that a handle the {@link InodeIndex} does not know (after a restart, or a rename by
 * another process) is found by {@code open_by_handle_at} and a {@code readlink} of
 * {@code /proc/self/fd/N}, a few system calls, instead of a scan of the export.
 *
 * <p>{@code name_to_handle_at} needs no privilege, so handles carry the kernel part whether or not
 * this process may open by it: the same object always gets the same bytes. Opening needs
 * {@code CAP_DAC_READ_SEARCH}; without it (EPERM, probed at start and noticed later too) every
 * resolution answers "unknown" and the backend scans as before. A file system without export
 * operations (EOPNOTSUPP at start) gives handles without the kernel part.
 *
 * <p>The kernel may answer with a disconnected name (a regular file whose dentry is not cached,
 * typically after a reboot: the kernel cannot name its directory), a name outside the export (a
 * hard link elsewhere) or a deleted one; all answer "unknown" and the caller scans. ESTALE (the
 * object is gone) is {@link Gone}.
 *
 * <p>One object, one handle: a handle is made from one {@code O_PATH} descriptor (its
 * {@code statx} and its {@code name_to_handle_at}), never from two lookups of a path that a local
 * rename could point at two objects, and then cached by inode number and generation, so a LOOKUP
 * or READDIR entry of a known object costs no system call beyond its {@code statx} (see
 * {@link #identify}).
 *
 * <p>Thread-safe: the cache halves are concurrent maps, turned under {@code this}; a handle lost
 * to a racing turn is made again.
 */
final class KernelHandles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelHandles.class);

    /** Bytes of a backend handle before the kernel part: inode number and generation. */
    static final int PREFIX = 16;
    /**
     * Handles cached by default: about 150 bytes each (map node, key, entry, handle), so about
     * 20 MiB at most; past it the handles not used since the last turn are made again.
     */
    static final int DEFAULT_CACHED = 131_072;
    /** Most kernel handle bytes a backend handle carries: sealed, it must fit NFS4_FHSIZE (128). */
    static final int MAX_KERNEL_BYTES = 95;

    /** The object a kernel handle names no longer exists (ESTALE). */
    static final class Gone extends Exception {
        Gone(String message) {
            super(message);
        }
    }

    private final Libc libc;
    private final Path root;
    private final String rootPrefix;
    private final boolean encode;
    /**
     * A readable descriptor of the root for open_by_handle_at's mount argument, or -1. Used under
     * {@code mountFdLock}'s read lock and closed under its write lock, so {@link #close} never
     * closes it while a resolution passes it to the kernel (its number could otherwise be reused
     * by another open, and the kernel would look the handle up on whatever that names).
     */
    private volatile int mountFd;
    private final ReentrantReadWriteLock mountFdLock = new ReentrantReadWriteLock();
    /** Runs while a resolution holds the descriptor (tests: a close racing it). */
    volatile Runnable resolveHook = () -> { };
    private volatile boolean canOpen;
    /** Cached handles: {@code young} takes new ones and hits from {@code old}; see {@link #remember}. */
    private volatile Map<Long, Cached> young = new ConcurrentHashMap<>();
    private volatile Map<Long, Cached> old = new ConcurrentHashMap<>();
    private final int halfCapacity;
    private final AtomicLong made = new AtomicLong();

    /**
     * @param rootFd a descriptor of the export root (O_PATH will do)
     * @param open whether to try {@code open_by_handle_at} at all
     * @param cached about how many handles to keep (half of them since the last turn, see
     *     {@link #remember})
     */
    KernelHandles(Libc libc, Path root, int rootFd, boolean open, int cached) {
        this.libc = libc;
        this.halfCapacity = Math.max(1, cached / 2);
        this.root = root;
        String r = root.toString();
        this.rootPrefix = r.endsWith("/") ? r : r + "/";
        Libc.KernelHandle rootHandle = null;
        try {
            rootHandle = libc.nameToHandleAt(rootFd, "");
        } catch (Libc.ErrnoException e) {
            LOG.info("{}: no kernel file handles ({}); handles after a restart are found by scanning", root,
                    e.getMessage());
        }
        this.encode = rootHandle != null && rootHandle.bytes().length <= MAX_KERNEL_BYTES;
        int fd = -1;
        boolean opens = false;
        if (encode && open) {
            try {
                fd = libc.openDirectoryReadable(root);
                libc.closeDescriptor(libc.openByHandleAt(fd, rootHandle), root);
                opens = true;
            } catch (Libc.ErrnoException e) {
                LOG.info("{}: cannot open by kernel file handle ({}{}); handles after a restart are found by"
                        + " scanning", root, e.getMessage(), e.errno() == Libc.EPERM ? ": no CAP_DAC_READ_SEARCH" : "");
            }
        }
        this.mountFd = fd;
        this.canOpen = opens;
    }

    /** Whether resolutions go through {@code open_by_handle_at}. */
    boolean canOpen() {
        return canOpen;
    }

    /** An object's attributes and its backend handle, both of the one object. */
    record Identified(Libc.Statx attrs, Inode handle) {}

    /** A cached handle and the generation of the object it was made for. */
    private record Cached(long generation, Inode handle) {}

    /**
     * The backend handle of the object at {@code rel} (relative to {@code rootFd}, "" for the
     * root), whose attributes {@code a} the caller has just read there: {@code ino},
     * {@code generation}, then its kernel handle when there is one. One object always gets the
     * same handle, even when a local rename puts another object at {@code rel} after {@code a}
     * was read: a handle is either the cached one of {@code a}'s object (inode number and
     * generation: the kernel handle of an object never changes), or made from one
     * {@code O_PATH} descriptor of whatever is at {@code rel} now, whose own {@code statx} then
     * replaces {@code a} in the answer, so that attributes and handle never describe two
     * objects. Without birth times (generation 0) an inode number does not tell a reused one
     * from the original, so nothing is cached and every handle is made.
     *
     * @param generation {@code a}'s generation as the backend computes it (0 without birth times)
     * @param generationOf the same computation, for the attributes read through the descriptor
     * @throws Libc.ErrnoException when nothing is at {@code rel} any more (ENOENT, ENOTDIR) or it
     *     cannot be opened
     */
    Identified identify(Libc.Statx a, long generation, ToLongFunction<Libc.Statx> generationOf,
            int rootFd, String rel) throws Libc.ErrnoException {
        if (!encode) {
            return new Identified(a, new Inode(prefix(a.ino(), generation, 0).array()));
        }
        if (generation != 0) {
            Inode h = cached(a.ino(), generation);
            if (h != null) {
                return new Identified(a, h);
            }
        }
        int fd = rel.isEmpty() ? rootFd : libc.openPathAt(rootFd, rel);
        try {
            Libc.Statx b = rel.isEmpty() ? a : libc.statxAt(fd, "", false);
            long g = rel.isEmpty() ? generation : generationOf.applyAsLong(b);
            Libc.KernelHandle k = null;
            try {
                k = libc.nameToHandleAt(fd, "");
            } catch (Libc.ErrnoException e) {
                LOG.debug("no kernel handle for {}", rel, e);
            }
            made.incrementAndGet();
            if (k == null || k.bytes().length > MAX_KERNEL_BYTES) {
                return new Identified(b, new Inode(prefix(b.ino(), g, 0).array()));
            }
            Inode h = new Inode(prefix(b.ino(), g, 4 + k.bytes().length).putInt(k.type()).put(k.bytes()).array());
            if (g != 0) {
                remember(b.ino(), new Cached(g, h));
            }
            return new Identified(b, h);
        } finally {
            if (fd != rootFd) {
                libc.closeDescriptor(fd, root);
            }
        }
    }

    private static ByteBuffer prefix(long ino, long generation, int more) {
        return ByteBuffer.allocate(PREFIX + more).putLong(ino).putLong(generation);
    }

    /** The cached handle of object {@code (ino, generation)}, or null; a hit in the old half moves to the young. */
    private Inode cached(long ino, long generation) {
        Cached c = young.get(ino);
        if (c == null) {
            c = old.get(ino);
            if (c == null || c.generation() != generation) {
                return null;
            }
            remember(ino, c);
        }
        return c.generation() == generation ? c.handle() : null;
    }

    /**
     * Caches {@code c} in the young half; a full young half becomes the old one and the old one
     * is dropped, so fewer than {@code 2 * halfCapacity} handles are kept (but for racing
     * inserts), and those used since the last turn stay.
     */
    private void remember(long ino, Cached c) {
        Map<Long, Cached> y = young;
        y.put(ino, c);
        if (y.size() >= halfCapacity) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
    }

    /** Handles made by system calls so far (not from the cache), for tests. */
    long handlesMade() {
        return made.get();
    }

    /** Handles cached now, for tests. */
    int cachedHandles() {
        return young.size() + old.size();
    }

    /** Whether {@code b} has the shape of a backend handle (with or without a kernel part). */
    static boolean wellFormed(byte[] b) {
        return b.length == PREFIX || (b.length > PREFIX + 4 && b.length <= PREFIX + 4 + MAX_KERNEL_BYTES);
    }

    /**
     * The path, relative to the root ("" for the root), at which the kernel says the object of
     * backend handle {@code b} is; null when it cannot say (no kernel part, no privilege, a
     * disconnected name or one outside the export). The caller checks the path (inode number and
     * generation) before trusting it: the name of an unlinked file still open somewhere reads
     * "... (deleted)" and so fails that check.
     *
     * @throws Gone when the object no longer exists
     */
    String pathOf(byte[] b) throws Gone {
        if (!canOpen || b.length <= PREFIX + 4) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, PREFIX, b.length - PREFIX);
        int type = buf.getInt();
        byte[] kernel = new byte[buf.remaining()];
        buf.get(kernel);
        int opened;
        mountFdLock.readLock().lock();
        try {
            int fd = mountFd;
            if (fd < 0) {
                return null; // closed
            }
            resolveHook.run();
            opened = libc.openByHandleAt(fd, new Libc.KernelHandle(type, kernel));
        } catch (Libc.ErrnoException e) {
            if (e.errno() == Libc.ESTALE) {
                throw new Gone(e.getMessage());
            }
            if (e.errno() == Libc.EPERM) {
                canOpen = false;
                LOG.warn("{}: open_by_handle_at is refused now ({}); handles not indexed are found by scanning",
                        root, e.getMessage());
            } else {
                LOG.debug("open_by_handle_at under {}", root, e);
            }
            return null;
        } finally {
            mountFdLock.readLock().unlock();
        }
        String target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + opened)).toString();
        } catch (IOException e) {
            LOG.debug("readlink of descriptor {} under {}", opened, root, e);
            return null;
        } finally {
            try {
                libc.closeDescriptor(opened, root);
            } catch (Libc.ErrnoException e) {
                LOG.warn("closing a descriptor opened by handle under {}", root, e);
            }
        }
        if (target.equals(root.toString())) {
            return "";
        }
        return target.startsWith(rootPrefix) ? target.substring(rootPrefix.length()) : null;
    }

    @Override
    public void close() {
        canOpen = false;
        int fd;
        mountFdLock.writeLock().lock(); // waits for resolutions passing the descriptor to the kernel
        try {
            fd = mountFd;
            mountFd = -1;
        } finally {
            mountFdLock.writeLock().unlock();
        }
        if (fd >= 0) {
            try {
                libc.closeDescriptor(fd, root);
            } catch (Libc.ErrnoException e) {
                LOG.warn("closing the handle descriptor of export root {}", root, e);
            }
        }
    }

    /** Whether a {@link #close} waits for a resolution to let go of the descriptor (tests). */
    boolean closeWaiting() {
        return mountFdLock.hasQueuedThreads();
    }
}

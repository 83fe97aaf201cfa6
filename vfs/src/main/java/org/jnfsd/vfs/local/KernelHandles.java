package org.jnfsd.vfs.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * object is gone) is {@link Gone}. Thread-safe.
 */
final class KernelHandles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelHandles.class);

    /** Bytes of a backend handle before the kernel part: inode number and generation. */
    static final int PREFIX = 16;
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
    /** A readable descriptor of the root for open_by_handle_at's mount argument, or -1. */
    private volatile int mountFd;
    private volatile boolean canOpen;

    /**
     * @param rootFd a descriptor of the export root (O_PATH will do)
     * @param open whether to try {@code open_by_handle_at} at all
     */
    KernelHandles(Libc libc, Path root, int rootFd, boolean open) {
        this.libc = libc;
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

    /**
     * The backend handle of an object: {@code ino}, {@code generation}, then the kernel handle of
     * {@code rel} (relative to {@code rootFd}, "" for the root) when there is one.
     */
    byte[] handle(long ino, long generation, int rootFd, String rel) {
        Libc.KernelHandle k = null;
        if (encode) {
            try {
                k = libc.nameToHandleAt(rootFd, rel);
            } catch (Libc.ErrnoException e) {
                LOG.debug("no kernel handle for {}", rel, e);
            }
        }
        if (k == null || k.bytes().length > MAX_KERNEL_BYTES) {
            return ByteBuffer.allocate(PREFIX).putLong(ino).putLong(generation).array();
        }
        return ByteBuffer.allocate(PREFIX + 4 + k.bytes().length).putLong(ino).putLong(generation).putInt(k.type())
                .put(k.bytes()).array();
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
        int fd = mountFd;
        if (!canOpen || b.length <= PREFIX + 4 || fd < 0) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(b, PREFIX, b.length - PREFIX);
        int type = buf.getInt();
        byte[] kernel = new byte[buf.remaining()];
        buf.get(kernel);
        int opened;
        try {
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
        int fd = mountFd;
        mountFd = -1;
        canOpen = false;
        if (fd >= 0) {
            try {
                libc.closeDescriptor(fd, root);
            } catch (Libc.ErrnoException e) {
                LOG.warn("closing the handle descriptor of export root {}", root, e);
            }
        }
    }
}

package org.jnfsd.vfs.local;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The few libc calls {@code java.nio.file} lacks, through the foreign-function API: {@code mknod}
 * (FIFOs, sockets, devices), {@code statx} (every attribute the backend reports, with allocated
 * blocks and whether the file system records birth times), {@code statvfs} (file counts), and for the NFSv4.2 data operations {@code open},
 * {@code lseek} (SEEK_DATA/SEEK_HOLE), {@code fallocate}, {@code ioctl(FICLONERANGE)} and
 * {@code copy_file_range} on file descriptors it opens itself ({@link Fd}), and the extended
 * attribute calls in their {@code l} form ({@code lgetxattr}, {@code lsetxattr}, {@code llistxattr},
 * {@code lremovexattr}), which act on a final symlink itself, never its target. Linux on a 64-bit ABI only (x86-64, aarch64:
 * {@code statx} has one layout everywhere, {@code statvfs} is all 8-byte fields on LP64 glibc).
 *
 * <p>Thread-safe. {@link #statxAt} borrows one of a few preallocated native scratch buffers (no
 * {@code malloc}/{@code free} per call: a lookup walk makes two {@code statx} per component); the
 * other calls, and {@code statxAt} when every buffer is lent, allocate in their own confined arena.
 * Calls fail with {@link ErrnoException} carrying errno.
 */
final class Libc {
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFSOCK = 0140000;

    static final int ENOENT = 2;
    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;
    static final int EDQUOT = 122;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EXDEV = 18;
    static final int EFBIG = 27;
    static final int ESPIPE = 29;
    static final int ENOSYS = 38;
    static final int ENOTTY = 25;
    static final int EOPNOTSUPP = 95;
    static final int ENODATA = 61;
    static final int E2BIG = 7;
    static final int ERANGE = 34;
    static final int ESTALE = 116;
    static final int XATTR_CREATE = 1;
    static final int XATTR_REPLACE = 2;

    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** {@code _IOW(0x94, 13, struct file_clone_range)}. */
    private static final long FICLONERANGE = 0x4020940dL;
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0100000 : 0400000;

    private static final int O_PATH = 010000000;
    private static final int O_DIRECTORY = "aarch64".equals(System.getProperty("os.arch")) ? 040000 : 0200000;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_BLOCKS = 0x400;
    private static final int STATX_BTIME = 0x800;
    private static final int STATX_SIZE = 256;
    /** Offsets in {@code struct statx} (linux/stat.h; the same on every architecture). */
    private static final int STATX_MASK_OFFSET = 0;
    private static final int STATX_NLINK_OFFSET = 16;
    private static final int STATX_UID_OFFSET = 20;
    private static final int STATX_GID_OFFSET = 24;
    private static final int STATX_MODE_OFFSET = 28;
    private static final int STATX_INO_OFFSET = 32;
    private static final int STATX_SIZE_OFFSET = 40;
    private static final int STATX_BLOCKS_OFFSET = 48;
    /** {@code struct statx_timestamp}: {@code s64 tv_sec; u32 tv_nsec; s32 reserved}. */
    private static final int STATX_ATIME_OFFSET = 64;
    private static final int STATX_BTIME_OFFSET = 80;
    private static final int STATX_CTIME_OFFSET = 96;
    private static final int STATX_MTIME_OFFSET = 112;
    private static final int STATX_RDEV_MAJOR_OFFSET = 128;
    private static final int STATX_RDEV_MINOR_OFFSET = 132;
    private static final int STATX_DEV_MAJOR_OFFSET = 136;
    private static final int STATX_DEV_MINOR_OFFSET = 140;
    private static final int STATVFS_SIZE = 112;

    /** Scratch buffer layout: call state at 0, {@code struct statx} at 64, the NUL-terminated path after it. */
    private static final int SCRATCH_STATX = 64;
    private static final int SCRATCH_PATH = SCRATCH_STATX + STATX_SIZE;
    private static final int SCRATCH_SIZE = 8192;
    private static final int SCRATCH_SLOTS = 16;

    /** A failed libc call. */
    static final class ErrnoException extends Exception {
        private final int errno;

        ErrnoException(String call, Path path, int errno) {
            this(call, String.valueOf(path), errno);
        }

        ErrnoException(String call, String path, int errno) {
            super(call + "(" + path + ") failed with errno " + errno);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    /**
     * The part of {@code statx} this backend uses.
     *
     * @param mode type and permission bits ({@code st_mode})
     * @param blocks 512-byte blocks allocated, or -1 when the file system does not say
     * @param btime the birth time, or the modification time when {@code birthTimeKnown} is
     *     false (as {@code java.nio.file}'s {@code creationTime} does)
     * @param dev {@code st_dev} as {@link #makedev} encodes it
     */
    record Statx(boolean birthTimeKnown, int mode, int nlink, int uid, int gid, long ino, long size, long blocks,
            Instant atime, Instant mtime, Instant ctime, Instant btime, int rdevMajor, int rdevMinor, long dev) {}

    /** File counts of a file system. */
    record FileCounts(long total, long free, long avail) {}

    private final MethodHandle mknod;
    private final MethodHandle statx;
    private final MethodHandle statvfs;
    private final MethodHandle symlink;
    private final MethodHandle fchmodat;
    private final MethodHandle open;
    private final MethodHandle openat;
    private final MethodHandle close;
    private final MethodHandle lseek;
    private final MethodHandle fallocate;
    private final MethodHandle ioctl;
    private final MethodHandle copyFileRange;
    private final MethodHandle lgetxattr;
    private final MethodHandle lsetxattr;
    private final MethodHandle llistxattr;
    private final MethodHandle lremovexattr;
    private final MethodHandle nameToHandleAt;
    private final MethodHandle openByHandleAt;
    private final StructLayout callState;
    private final VarHandle errnoHandle;
    /** Native scratch buffers, null while lent; freed with this object (an automatic arena). */
    private final AtomicReferenceArray<MemorySegment> scratch = new AtomicReferenceArray<>(SCRATCH_SLOTS);

    Libc() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option ccs = Linker.Option.captureCallState("errno");
        callState = Linker.Option.captureStateLayout();
        errnoHandle = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        if (callState.byteSize() > SCRATCH_STATX) {
            throw new IllegalStateException("call state of " + callState.byteSize() + " bytes");
        }
        Arena buffers = Arena.ofAuto();
        for (int i = 0; i < SCRATCH_SLOTS; i++) {
            scratch.set(i, buffers.allocate(SCRATCH_SIZE, 8));
        }
        mknod = linker.downcallHandle(libc.findOrThrow("mknod"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                ccs);
        statx = linker.downcallHandle(libc.findOrThrow("statx"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                ccs);
        statvfs = linker.downcallHandle(libc.findOrThrow("statvfs"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                ccs);
        symlink = linker.downcallHandle(libc.findOrThrow("symlink"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                ccs);
        fchmodat = linker.downcallHandle(libc.findOrThrow("fchmodat"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT),
                ccs);
        open = linker.downcallHandle(libc.findOrThrow("open"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ccs);
        openat = linker.downcallHandle(libc.findOrThrow("openat"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                ccs);
        close = linker.downcallHandle(libc.findOrThrow("close"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ccs);
        lseek = linker.downcallHandle(libc.findOrThrow("lseek"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                ccs);
        fallocate = linker.downcallHandle(libc.findOrThrow("fallocate"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG),
                ccs);
        ioctl = linker.downcallHandle(libc.findOrThrow("ioctl"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                ccs, Linker.Option.firstVariadicArg(2));
        copyFileRange = linker.downcallHandle(libc.findOrThrow("copy_file_range"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                ccs);
        lgetxattr = linker.downcallHandle(libc.findOrThrow("lgetxattr"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG),
                ccs);
        lsetxattr = linker.downcallHandle(libc.findOrThrow("lsetxattr"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                ccs);
        llistxattr = linker.downcallHandle(libc.findOrThrow("llistxattr"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                ccs);
        lremovexattr = linker.downcallHandle(libc.findOrThrow("lremovexattr"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                ccs);
        nameToHandleAt = linker.downcallHandle(libc.findOrThrow("name_to_handle_at"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                ccs);
        openByHandleAt = linker.downcallHandle(libc.findOrThrow("open_by_handle_at"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                ccs);
    }

    /**
     * A kernel file handle ({@code struct file_handle}): the file system's type code and opaque
     * bytes, as {@code name_to_handle_at} gives them and {@code open_by_handle_at} takes them.
     */
    record KernelHandle(int type, byte[] bytes) {}

    /** {@code MAX_HANDLE_SZ} of linux/fcntl.h. */
    static final int MAX_HANDLE_SZ = 128;
    private static final int FILE_HANDLE_HEADER = 8;

    /**
     * {@code name_to_handle_at(dirFd, path, handle, &mountId, 0)}: the kernel handle of
     * {@code path} relative to {@code dirFd} ("" for {@code dirFd} itself, through
     * {@code AT_EMPTY_PATH}); a final symlink is not followed. Needs no privilege.
     */
    KernelHandle nameToHandleAt(int dirFd, String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment fh = arena.allocate(FILE_HANDLE_HEADER + MAX_HANDLE_SZ, 4);
            fh.set(ValueLayout.JAVA_INT, 0, MAX_HANDLE_SZ);
            MemorySegment mountId = arena.allocate(ValueLayout.JAVA_INT);
            int rc;
            try {
                rc = (int) nameToHandleAt.invokeExact(state, dirFd, arena.allocateFrom(path), fh, mountId,
                        path.isEmpty() ? AT_EMPTY_PATH : 0);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (rc < 0) {
                throw new ErrnoException("name_to_handle_at", path, (int) errnoHandle.get(state, 0L));
            }
            int n = fh.get(ValueLayout.JAVA_INT, 0);
            if (n < 0 || n > MAX_HANDLE_SZ) {
                throw new ErrnoException("name_to_handle_at", path, EINVAL);
            }
            return new KernelHandle(fh.get(ValueLayout.JAVA_INT, 4),
                    fh.asSlice(FILE_HANDLE_HEADER, n).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /**
     * {@code open_by_handle_at(mountFd, handle, O_PATH | O_NOFOLLOW | O_CLOEXEC)}: a descriptor
     * naming the object, for {@code /proc/self/fd} only; the caller closes it with
     * {@link #closeDescriptor}. Needs {@code CAP_DAC_READ_SEARCH} (EPERM without it); ESTALE when
     * the object is gone; {@code mountFd} must not be an {@code O_PATH} descriptor.
     */
    int openByHandleAt(int mountFd, KernelHandle h) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            byte[] b = h.bytes();
            MemorySegment fh = arena.allocate(FILE_HANDLE_HEADER + Math.max(1, b.length), 4);
            fh.set(ValueLayout.JAVA_INT, 0, b.length);
            fh.set(ValueLayout.JAVA_INT, 4, h.type());
            MemorySegment.copy(b, 0, fh, ValueLayout.JAVA_BYTE, FILE_HANDLE_HEADER, b.length);
            int fd;
            try {
                fd = (int) openByHandleAt.invokeExact(state, mountFd, fh, O_PATH | O_NOFOLLOW | O_CLOEXEC);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (fd < 0) {
                throw new ErrnoException("open_by_handle_at", "handle of type " + h.type(),
                        (int) errnoHandle.get(state, 0L));
            }
            return fd;
        }
    }

    /**
     * {@code open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)}: a descriptor of directory {@code path}
     * for {@link #openByHandleAt}'s mount argument, which takes no {@code O_PATH} descriptor.
     */
    int openDirectoryReadable(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd;
            try {
                fd = (int) open.invokeExact(state, arena.allocateFrom(path.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (fd < 0) {
                throw new ErrnoException("open", path, (int) errnoHandle.get(state, 0L));
            }
            return fd;
        }
    }

    /**
     * {@code lgetxattr(path, name, buf, maxSize)}: the value, at most {@code maxSize} bytes (a
     * larger one fails with ERANGE).
     */
    byte[] lgetxattr(Path path, String name, int maxSize) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment buf = arena.allocate(Math.max(1, maxSize));
            long rc;
            try {
                rc = (long) lgetxattr.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name), buf,
                        (long) maxSize);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (rc < 0) {
                throw new ErrnoException("lgetxattr", path, (int) errnoHandle.get(state, 0L));
            }
            return buf.asSlice(0, rc).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** {@code lsetxattr(path, name, value, length, flags)}; flags 0, XATTR_CREATE or XATTR_REPLACE. */
    void lsetxattr(Path path, String name, byte[] value, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc;
            try {
                rc = (int) lsetxattr.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name), v,
                        (long) value.length, flags);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "lsetxattr", path);
        }
    }

    /** {@code llistxattr(path, buf, maxSize)}: the names, every namespace, as the kernel lists them. */
    java.util.List<String> llistxattr(Path path, int maxSize) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment buf = arena.allocate(Math.max(1, maxSize));
            long rc;
            try {
                rc = (long) llistxattr.invokeExact(state, arena.allocateFrom(path.toString()), buf, (long) maxSize);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (rc < 0) {
                throw new ErrnoException("llistxattr", path, (int) errnoHandle.get(state, 0L));
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            long start = 0;
            for (long i = 0; i < rc; i++) {
                if (buf.get(ValueLayout.JAVA_BYTE, i) == 0) {
                    if (i > start) {
                        names.add(new String(buf.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE),
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return names;
        }
    }

    /** {@code lremovexattr(path, name)}. */
    void lremovexattr(Path path, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int rc;
            try {
                rc = (int) lremovexattr.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "lremovexattr", path);
        }
    }

    /** An open file descriptor of a regular file; {@link #close()} closes it. Confined to one thread. */
    final class Fd implements AutoCloseable {
        private final int fd;
        private final Path path;
        private boolean closed;

        private Fd(int fd, Path path) {
            this.fd = fd;
            this.path = path;
        }

        int fd() {
            return fd;
        }

        Path path() {
            return path;
        }

        @Override
        public void close() throws ErrnoException {
            if (!closed) {
                closed = true;
                closeFd(fd, path);
            }
        }
    }

    /** {@code open(path, O_RDONLY or O_RDWR | O_NOFOLLOW | O_CLOEXEC)}. */
    Fd open(Path path, boolean write) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd;
            try {
                fd = (int) open.invokeExact(state, arena.allocateFrom(path.toString()),
                        (write ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (fd < 0) {
                throw new ErrnoException("open", path, (int) errnoHandle.get(state, 0L));
            }
            return new Fd(fd, path);
        }
    }

    /**
     * {@code open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)}: a descriptor naming directory
     * {@code path} for the {@code *at} calls, not for reading; the caller closes it with
     * {@link #closeDescriptor}.
     */
    int openDirectory(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd;
            try {
                fd = (int) open.invokeExact(state, arena.allocateFrom(path.toString()), O_PATH | O_DIRECTORY | O_CLOEXEC);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (fd < 0) {
                throw new ErrnoException("open", path, (int) errnoHandle.get(state, 0L));
            }
            return fd;
        }
    }

    /**
     * {@code openat(dirFd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC)}: a descriptor naming the object
     * at {@code path} below directory descriptor {@code dirFd} (a final symlink names the link
     * itself), so that {@code statx} and {@code name_to_handle_at} of it ({@code ""}) read one
     * object whatever happens to the name meanwhile; the caller closes it with
     * {@link #closeDescriptor}.
     */
    int openPathAt(int dirFd, String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd;
            try {
                fd = (int) openat.invokeExact(state, dirFd, arena.allocateFrom(path), O_PATH | O_NOFOLLOW | O_CLOEXEC);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (fd < 0) {
                throw new ErrnoException("openat", path, (int) errnoHandle.get(state, 0L));
            }
            return fd;
        }
    }

    /** {@code close(fd)} of a descriptor {@link #openDirectory} or {@link #openPathAt} gave. */
    void closeDescriptor(int fd, Path path) throws ErrnoException {
        closeFd(fd, path);
    }

    private void closeFd(int fd, Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int rc;
            try {
                rc = (int) close.invokeExact(state, fd);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "close", path);
        }
    }

    /** {@code lseek(fd, offset, whence)}: the new offset. */
    long lseek(Fd fd, long offset, int whence) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            long rc;
            try {
                rc = (long) lseek.invokeExact(state, fd.fd(), offset, whence);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (rc < 0) {
                throw new ErrnoException("lseek", fd.path(), (int) errnoHandle.get(state, 0L));
            }
            return rc;
        }
    }

    /** {@code fallocate(fd, mode, offset, length)}. */
    void fallocate(Fd fd, int mode, long offset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int rc;
            try {
                rc = (int) fallocate.invokeExact(state, fd.fd(), mode, offset, length);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "fallocate", fd.path());
        }
    }

    /** {@code ioctl(dst, FICLONERANGE, {src, srcOffset, length, dstOffset})}; length 0 means to the source's end. */
    void cloneRange(Fd src, long srcOffset, Fd dst, long dstOffset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment range = arena.allocate(32, 8);
            range.set(ValueLayout.JAVA_LONG, 0, src.fd());
            range.set(ValueLayout.JAVA_LONG, 8, srcOffset);
            range.set(ValueLayout.JAVA_LONG, 16, length);
            range.set(ValueLayout.JAVA_LONG, 24, dstOffset);
            int rc;
            try {
                rc = (int) ioctl.invokeExact(state, dst.fd(), FICLONERANGE, range);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "ioctl(FICLONERANGE)", dst.path());
        }
    }

    /** One {@code copy_file_range} call at explicit offsets: bytes copied, 0 at the source's end. */
    long copyFileRange(Fd src, long srcOffset, Fd dst, long dstOffset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment offIn = arena.allocateFrom(ValueLayout.JAVA_LONG, srcOffset);
            MemorySegment offOut = arena.allocateFrom(ValueLayout.JAVA_LONG, dstOffset);
            long rc;
            try {
                rc = (long) copyFileRange.invokeExact(state, src.fd(), offIn, dst.fd(), offOut, length, 0);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (rc < 0) {
                throw new ErrnoException("copy_file_range", src.path(), (int) errnoHandle.get(state, 0L));
            }
            return rc;
        }
    }

    /**
     * {@code symlink(target, link)} with the target byte for byte as given ({@code Path.of} would
     * normalise "a//b" or a trailing slash, changing what READLINK returns).
     */
    void symlink(String target, Path link) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int rc;
            try {
                rc = (int) symlink.invokeExact(state, arena.allocateFrom(target), arena.allocateFrom(link.toString()));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "symlink", link);
        }
    }

    /**
     * {@code fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW)}: changes the mode of the object
     * itself, never a symlink's target, and never opens it (opening a FIFO would block).
     */
    void chmodNoFollow(Path path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int rc;
            try {
                rc = (int) fchmodat.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), mode,
                        AT_SYMLINK_NOFOLLOW);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "fchmodat", path);
        }
    }

    /** Linux's {@code makedev}. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /** {@code mknod(path, typeBits | perm, makedev(major, minor))}; never follows a symlink (it creates). */
    void mknod(Path path, int typeAndMode, int major, int minor) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int rc;
            try {
                rc = (int) mknod.invokeExact(state, arena.allocateFrom(path.toString()), typeAndMode, makedev(major, minor));
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "mknod", path);
        }
    }

    /** {@code statx} of {@code path} without following a final symlink. */
    Statx statx(Path path) throws ErrnoException {
        return statx(path, false);
    }

    /**
     * Like {@link #statx(Path)}, but null when {@code path} does not exist ({@code ENOENT}), without
     * building an exception: for callers to whom absence is an expected answer.
     */
    Statx statxOrNull(Path path) throws ErrnoException {
        return statx(path, true);
    }

    private Statx statx(Path path, boolean absentIsNull) throws ErrnoException {
        return statxAt(AT_FDCWD, path.toString(), absentIsNull);
    }

    /**
     * {@code statx(dirFd, path, AT_SYMLINK_NOFOLLOW)}: {@code path} relative to directory
     * descriptor {@code dirFd} (from {@link #openDirectory}), so the kernel walks only the
     * components below it; an absolute {@code path} ignores {@code dirFd}; the empty path is
     * {@code dirFd} itself ({@code AT_EMPTY_PATH}). With {@code absentIsNull}, null for ENOENT.
     */
    Statx statxAt(int dirFd, String path, boolean absentIsNull) throws ErrnoException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        int flags = path.isEmpty() ? AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW;
        if (name.length < SCRATCH_SIZE - SCRATCH_PATH) {
            int slot = (int) Thread.currentThread().threadId() & (SCRATCH_SLOTS - 1);
            for (int i = 0; i < SCRATCH_SLOTS; i++, slot = (slot + 1) & (SCRATCH_SLOTS - 1)) {
                MemorySegment buf = scratch.getAndSet(slot, null);
                if (buf != null) {
                    try {
                        MemorySegment.copy(name, 0, buf, ValueLayout.JAVA_BYTE, SCRATCH_PATH, name.length);
                        buf.set(ValueLayout.JAVA_BYTE, SCRATCH_PATH + name.length, (byte) 0);
                        return statxInto(buf.asSlice(0, callState.byteSize()), buf.asSlice(SCRATCH_STATX, STATX_SIZE),
                                dirFd, buf.asSlice(SCRATCH_PATH), flags, path, absentIsNull);
                    } finally {
                        scratch.set(slot, buf);
                    }
                }
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nameSeg = arena.allocate(name.length + 1L);
            MemorySegment.copy(name, 0, nameSeg, ValueLayout.JAVA_BYTE, 0, name.length);
            return statxInto(arena.allocate(callState), arena.allocate(STATX_SIZE, 8), dirFd, nameSeg, flags, path,
                    absentIsNull);
        }
    }

    private Statx statxInto(MemorySegment state, MemorySegment buf, int dirFd, MemorySegment name, int flags,
            String path, boolean absentIsNull) throws ErrnoException {
        int rc;
        try {
            rc = (int) statx.invokeExact(state, dirFd, name, flags, STATX_BASIC_STATS | STATX_BTIME, buf);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (rc != 0 && absentIsNull && (int) errnoHandle.get(state, 0L) == ENOENT) {
            return null;
        }
        if (rc != 0) {
            throw new ErrnoException("statx", path, (int) errnoHandle.get(state, 0L));
        }
        int mask = buf.get(ValueLayout.JAVA_INT, STATX_MASK_OFFSET);
        long blocks = (mask & STATX_BLOCKS) != 0 ? buf.get(ValueLayout.JAVA_LONG, STATX_BLOCKS_OFFSET) : -1;
        boolean birth = (mask & STATX_BTIME) != 0;
        Instant mtime = instant(buf, STATX_MTIME_OFFSET);
        return new Statx(birth, Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, STATX_MODE_OFFSET)),
                buf.get(ValueLayout.JAVA_INT, STATX_NLINK_OFFSET), buf.get(ValueLayout.JAVA_INT, STATX_UID_OFFSET),
                buf.get(ValueLayout.JAVA_INT, STATX_GID_OFFSET), buf.get(ValueLayout.JAVA_LONG, STATX_INO_OFFSET),
                buf.get(ValueLayout.JAVA_LONG, STATX_SIZE_OFFSET), blocks, instant(buf, STATX_ATIME_OFFSET), mtime,
                instant(buf, STATX_CTIME_OFFSET), birth ? instant(buf, STATX_BTIME_OFFSET) : mtime,
                buf.get(ValueLayout.JAVA_INT, STATX_RDEV_MAJOR_OFFSET),
                buf.get(ValueLayout.JAVA_INT, STATX_RDEV_MINOR_OFFSET),
                makedev(buf.get(ValueLayout.JAVA_INT, STATX_DEV_MAJOR_OFFSET),
                        buf.get(ValueLayout.JAVA_INT, STATX_DEV_MINOR_OFFSET)));
    }

    /** A {@code struct statx_timestamp}. */
    private static Instant instant(MemorySegment statx, long timestampOffset) {
        return Instant.ofEpochSecond(statx.get(ValueLayout.JAVA_LONG, timestampOffset),
                Integer.toUnsignedLong(statx.get(ValueLayout.JAVA_INT, timestampOffset + 8)));
    }

    /** {@code statvfs}: total, free and available inodes of the file system holding {@code path}. */
    FileCounts statvfs(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment buf = arena.allocate(STATVFS_SIZE, 8);
            int rc;
            try {
                rc = (int) statvfs.invokeExact(state, arena.allocateFrom(path.toString()), buf);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "statvfs", path);
            return new FileCounts(buf.get(ValueLayout.JAVA_LONG, 40), buf.get(ValueLayout.JAVA_LONG, 48),
                    buf.get(ValueLayout.JAVA_LONG, 56));
        }
    }

    /** A downcall threw: only errors of the JVM itself can get here. */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    private void check(int rc, MemorySegment state, String call, Path path) throws ErrnoException {
        if (rc != 0) {
            throw new ErrnoException(call, path, (int) errnoHandle.get(state, 0L));
        }
    }
}

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
import java.nio.file.Path;

/**
 * The few libc calls {@code java.nio.file} lacks, through the foreign-function API: {@code mknod}
 * (FIFOs, sockets, devices), {@code statx} (allocated blocks, and whether the file system records
 * birth times) and {@code statvfs} (file counts). Linux on a 64-bit ABI only (x86-64, aarch64:
 * {@code statx} has one layout everywhere, {@code statvfs} is all 8-byte fields on LP64 glibc).
 *
 * <p>Immutable after construction and thread-safe; every call allocates in its own confined arena.
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

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BLOCKS = 0x400;
    private static final int STATX_BTIME = 0x800;
    private static final int STATX_SIZE = 256;
    private static final int STATX_MASK_OFFSET = 0;
    private static final int STATX_BLOCKS_OFFSET = 48;
    private static final int STATVFS_SIZE = 112;

    /** A failed libc call. */
    static final class ErrnoException extends Exception {
        private final int errno;

        ErrnoException(String call, Path path, int errno) {
            super(call + "(" + path + ") failed with errno " + errno);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    /** The part of {@code statx} this backend uses. */
    record StatxInfo(boolean birthTimeKnown, long blocks) {}

    /** File counts of a file system. */
    record FileCounts(long total, long free, long avail) {}

    private final MethodHandle mknod;
    private final MethodHandle statx;
    private final MethodHandle statvfs;
    private final MethodHandle symlink;
    private final MethodHandle fchmodat;
    private final StructLayout callState;
    private final VarHandle errnoHandle;

    Libc() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option ccs = Linker.Option.captureCallState("errno");
        callState = Linker.Option.captureStateLayout();
        errnoHandle = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
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
    StatxInfo statx(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment buf = arena.allocate(STATX_SIZE, 8);
            int rc;
            try {
                rc = (int) statx.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), AT_SYMLINK_NOFOLLOW,
                        STATX_BLOCKS | STATX_BTIME, buf);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            check(rc, state, "statx", path);
            int mask = buf.get(ValueLayout.JAVA_INT, STATX_MASK_OFFSET);
            long blocks = (mask & STATX_BLOCKS) != 0 ? buf.get(ValueLayout.JAVA_LONG, STATX_BLOCKS_OFFSET) : -1;
            return new StatxInfo((mask & STATX_BTIME) != 0, blocks);
        }
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

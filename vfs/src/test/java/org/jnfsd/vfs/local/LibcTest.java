package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibcTest {
    @TempDir
    Path dir;

    private final Libc libc = new Libc();

    @Test
    void makedev_largeNumbers_roundTripThroughMajorMinor() {
        long dev = Libc.makedev(0x12345, 0xabcdef);
        assertThat(Libc.major(dev)).isEqualTo(0x12345);
        assertThat(Libc.minor(dev)).isEqualTo(0xabcdef);
        assertThat(Libc.makedev(8, 1)).isEqualTo(0x801);
    }

    @Test
    void mknod_existingName_errnoEEXIST() throws Exception {
        Files.createFile(dir.resolve("x"));
        assertThatThrownBy(() -> libc.mknod(dir.resolve("x"), Libc.S_IFIFO | 0600, 0, 0))
                .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EEXIST));
    }

    @Test
    void statx_missingFile_errnoENOENT() {
        assertThatThrownBy(() -> libc.statx(dir.resolve("missing")))
                .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.ENOENT));
    }

    @Test
    void statx_longNonAsciiName_sameInodeAsJava() throws Exception {
        Path f = Files.createFile(dir.resolve("\u00e9\u20ac\ud83d\ude00".repeat(20) + "x".repeat(60)));

        assertThat(libc.statx(f).ino()).isEqualTo(Files.getAttribute(f, "unix:ino"));
    }

    @Test
    void statx_writtenFile_reportsBlocks() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100_000]);
        assertThat(libc.statx(f).blocks()).isGreaterThanOrEqualTo(100_000 / 512);
    }

    @Test
    void statx_fileDirectorySymlinkFifo_sameValuesAsUnixAttributeView() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[5000]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z")));
        Files.createLink(dir.resolve("f2"), file); // nlink 2
        Path sub = Files.createDirectory(dir.resolve("d"));
        Path link = Files.createSymbolicLink(dir.resolve("l"), dir.resolve("missing"));
        Path fifo = dir.resolve("p");
        libc.mknod(fifo, Libc.S_IFIFO | 0640, 0, 0);
        for (Path p : List.of(file, sub, link, fifo, dir)) {
            Map<String, Object> a = Files.readAttributes(p,
                    "unix:dev,ino,mode,nlink,uid,gid,rdev,ctime,size,lastModifiedTime,lastAccessTime,creationTime",
                    LinkOption.NOFOLLOW_LINKS);
            Libc.Statx s = libc.statx(p);
            assertThat(s.ino()).as("ino %s", p).isEqualTo(a.get("ino"));
            assertThat(s.dev()).as("dev %s", p).isEqualTo(a.get("dev"));
            assertThat(s.mode()).as("mode %s", p).isEqualTo(a.get("mode"));
            assertThat(s.nlink()).as("nlink %s", p).isEqualTo(a.get("nlink"));
            assertThat(s.uid()).as("uid %s", p).isEqualTo(a.get("uid"));
            assertThat(s.gid()).as("gid %s", p).isEqualTo(a.get("gid"));
            assertThat(s.size()).as("size %s", p).isEqualTo(a.get("size"));
            long rdev = (Long) a.get("rdev");
            assertThat(s.rdevMajor()).as("rdev major %s", p).isEqualTo(Libc.major(rdev));
            assertThat(s.rdevMinor()).as("rdev minor %s", p).isEqualTo(Libc.minor(rdev));
            assertThat(s.ctime()).as("ctime %s", p).isEqualTo(((FileTime) a.get("ctime")).toInstant());
            assertThat(s.mtime()).as("mtime %s", p).isEqualTo(((FileTime) a.get("lastModifiedTime")).toInstant());
            assertThat(s.atime()).as("atime %s", p).isEqualTo(((FileTime) a.get("lastAccessTime")).toInstant());
            assertThat(s.btime()).as("btime %s", p).isEqualTo(((FileTime) a.get("creationTime")).toInstant());
        }
        assertThat(libc.statx(file).mtime()).isEqualTo(Instant.parse("2001-02-03T04:05:06.123456789Z"));
        assertThat(libc.statx(file).nlink()).isEqualTo(2);
    }

    @Test
    void statx_missingParent_errnoENOTDIR() throws Exception {
        Path f = Files.createFile(dir.resolve("f"));
        assertThatThrownBy(() -> libc.statx(f.resolve("x")))
                .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.ENOTDIR));
    }

    @Test
    void statxOrNull_missingFile_null() throws Exception {
        assertThat(libc.statxOrNull(dir.resolve("missing"))).isNull();
    }

    @Test
    void statxOrNull_missingParent_throwsENOTDIR() throws Exception {
        Path f = Files.createFile(dir.resolve("f"));
        assertThat(libc.statxOrNull(f).ino()).isEqualTo(libc.statx(f).ino());
        assertThatThrownBy(() -> libc.statxOrNull(f.resolve("x")))
                .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.ENOTDIR));
    }

    @Test
    void chmodNoFollow_symlink_failsWithoutTouchingTarget() throws Exception {
        Path target = Files.createFile(dir.resolve("t"));
        int before = (Integer) Files.getAttribute(target, "unix:mode");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        assertThatThrownBy(() -> libc.chmodNoFollow(link, 0777)).isInstanceOf(Libc.ErrnoException.class);
        assertThat((Integer) Files.getAttribute(target, "unix:mode")).isEqualTo(before);
    }
    // ---- the NFSv4.2 calls, on this machine's file system ----

    @Test
    void copyFileRange_withinOneFileSystem_copiesInTheKernel() throws Exception {
        Files.write(dir.resolve("src"), "kernel".getBytes());
        Files.createFile(dir.resolve("dst"));
        try (Libc.Fd in = libc.open(dir.resolve("src"), false); Libc.Fd out = libc.open(dir.resolve("dst"), true)) {
            assertThat(libc.copyFileRange(in, 0, out, 2, 100)).isEqualTo(6);
            assertThat(libc.copyFileRange(in, 6, out, 8, 100)).as("source's end").isZero();
        }
        assertThat(Files.readAllBytes(dir.resolve("dst"))).isEqualTo("\0\0kernel".getBytes());
    }

    @Test
    void seekAndPunch_sparseFile_findHolesAndData() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[3 << 20]);
        try (Libc.Fd fd = libc.open(f, true)) {
            libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20);
            assertThat(libc.lseek(fd, 0, Libc.SEEK_HOLE)).isEqualTo(1 << 20);
            assertThat(libc.lseek(fd, 1 << 20, Libc.SEEK_DATA)).isEqualTo(2 << 20);
            assertThatThrownBy(() -> libc.lseek(fd, 3 << 20, Libc.SEEK_DATA))
                    .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.ENXIO));
        }
        assertThat(Files.size(f)).isEqualTo(3 << 20);
    }

    /** ext4 and tmpfs cannot reflink: FICLONERANGE fails with EOPNOTSUPP (elsewhere it may clone). */
    @Test
    void cloneRange_onThisFileSystem_clonesOrEOPNOTSUPP() throws Exception {
        Files.write(dir.resolve("src"), new byte[8192]);
        Files.createFile(dir.resolve("dst"));
        String type = Files.getFileStore(dir).type();
        try (Libc.Fd in = libc.open(dir.resolve("src"), false); Libc.Fd out = libc.open(dir.resolve("dst"), true)) {
            if (type.equals("ext4") || type.equals("tmpfs")) {
                assertThatThrownBy(() -> libc.cloneRange(in, 0, out, 0, 8192))
                        .isInstanceOfSatisfying(Libc.ErrnoException.class,
                                e -> assertThat(e.errno()).isEqualTo(Libc.EOPNOTSUPP));
            } else {
                libc.cloneRange(in, 0, out, 0, 8192);
                assertThat(Files.size(dir.resolve("dst"))).isEqualTo(8192);
            }
        }
    }

    @Test
    void open_missingFile_errnoENOENT() {
        assertThatThrownBy(() -> libc.open(dir.resolve("missing"), false))
                .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.ENOENT));
    }

    @Test
    void statxAt_relativeName_resolvesBelowTheDescriptorNotTheWorkingDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("d/e"));
        Path f = Files.createFile(sub.resolve("f"));
        int fd = libc.openDirectory(dir.resolve("d"));
        try {
            assertThat(libc.statxAt(fd, "e/f", false).ino()).isEqualTo(Files.getAttribute(f, "unix:ino"));
            assertThat(libc.statxAt(fd, "", false).ino()).as("the empty path: the directory itself")
                    .isEqualTo(Files.getAttribute(dir.resolve("d"), "unix:ino"));
            assertThat(libc.statxAt(fd, "missing", true)).isNull();
            assertThatThrownBy(() -> libc.statxAt(fd, "e/missing", false))
                    .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.ENOENT));
        } finally {
            libc.closeDescriptor(fd, dir);
        }
    }

    /** What a closed LocalFileSystem passes (its root descriptor is -1 then): EBADF, no other directory. */
    @Test
    void statxAt_descriptorMinusOne_EBADF() {
        assertThatThrownBy(() -> libc.statxAt(-1, "x", false))
                .isInstanceOfSatisfying(Libc.ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EBADF));
    }

    /** Past the 8 KiB scratch buffer (the arena fallback), and past PATH_MAX: the kernel's errno. */
    @Test
    void statxAt_pathLongerThanTheScratchBuffer_ENAMETOOLONG() throws Exception {
        int fd = libc.openDirectory(dir);
        try {
            assertThatThrownBy(() -> libc.statxAt(fd, "n/".repeat(5000), false))
                    .isInstanceOfSatisfying(Libc.ErrnoException.class,
                            e -> assertThat(e.errno()).isEqualTo(Libc.ENAMETOOLONG));
        } finally {
            libc.closeDescriptor(fd, dir);
        }
    }

    /** More threads than scratch buffers, each on its own file: no call sees another's result. */
    @Test
    void statxAt_manyThreadsAtOnce_eachGetsItsOwnFilesAttributes() throws Exception {
        int threads = 48;
        long[] inos = new long[threads];
        for (int i = 0; i < threads; i++) {
            inos[i] = (Long) Files.getAttribute(Files.createFile(dir.resolve("file-" + i + "-" + "x".repeat(i))),
                    "unix:ino");
        }
        int fd = libc.openDirectory(dir);
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> all = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int i = t;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int n = 0; n < 2000; n++) {
                        if (libc.statxAt(fd, "file-" + i + "-" + "x".repeat(i), false).ino() != inos[i]) {
                            wrong.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    wrong.addAndGet(1_000_000);
                }
            }));
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        libc.closeDescriptor(fd, dir);
        assertThat(wrong).hasValue(0);
    }
}

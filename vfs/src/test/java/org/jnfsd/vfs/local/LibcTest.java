package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void statx_writtenFile_reportsBlocks() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100_000]);
        assertThat(libc.statx(f).blocks()).isGreaterThanOrEqualTo(100_000 / 512);
    }

    @Test
    void chmodNoFollow_symlink_failsWithoutTouchingTarget() throws Exception {
        Path target = Files.createFile(dir.resolve("t"));
        int before = (Integer) Files.getAttribute(target, "unix:mode");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        assertThatThrownBy(() -> libc.chmodNoFollow(link, 0777)).isInstanceOf(Libc.ErrnoException.class);
        assertThat((Integer) Files.getAttribute(target, "unix:mode")).isEqualTo(before);
    }
}

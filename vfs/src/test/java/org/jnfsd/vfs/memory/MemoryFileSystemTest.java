package org.jnfsd.vfs.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.ManualClock;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.VirtualFileSystemContractTest;
import org.junit.jupiter.api.Test;

class MemoryFileSystemTest extends VirtualFileSystemContractTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ManualClock clock = new ManualClock(T0);

    @Override
    protected VirtualFileSystem newFileSystem() {
        return new MemoryFileSystem(clock);
    }

    @Test
    void createFile_timesComeFromInjectedClock() throws Exception {
        clock.advance(Duration.ofSeconds(5));
        Inode f = fs.createFile(root, "f", mode(0644), true);
        Stat s = fs.getattr(f);
        assertThat(s.birthTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(s.mtime()).isEqualTo(T0.plusSeconds(5));
        assertThat(fs.getattr(root).mtime()).isEqualTo(T0.plusSeconds(5));
        clock.advance(Duration.ofSeconds(1));
        fs.write(f, 0, bytes("x"), Stability.UNSTABLE);
        s = fs.getattr(f);
        assertThat(s.mtime()).isEqualTo(T0.plusSeconds(6));
        assertThat(s.ctime()).isEqualTo(T0.plusSeconds(6));
        assertThat(s.birthTime()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void setattr_serverNowTimes_useClock() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        clock.advance(Duration.ofMinutes(3));
        Stat s = fs.setattr(f, new SetAttributes(null, null, null, null,
                SetAttributes.TimeValue.SERVER_NOW, SetAttributes.TimeValue.SERVER_NOW));
        assertThat(s.atime()).isEqualTo(T0.plusSeconds(180));
        assertThat(s.mtime()).isEqualTo(T0.plusSeconds(180));
        assertThat(s.ctime()).isEqualTo(T0.plusSeconds(180));
    }

    @Test
    void change_sameClockInstant_stillIncreasesOnEveryChange() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        long c0 = fs.getattr(f).change();
        fs.write(f, 0, bytes("a"), Stability.UNSTABLE);
        long c1 = fs.getattr(f).change();
        fs.write(f, 0, bytes("b"), Stability.UNSTABLE);
        long c2 = fs.getattr(f).change();
        assertThat(c0).isLessThan(c1);
        assertThat(c1).isLessThan(c2);
    }

    @Test
    void handles_areEightBytesAndNeverReused() throws Exception {
        Inode a = fs.createFile(root, "a", mode(0644), true);
        assertThat(a.bytes()).hasSize(8);
        fs.remove(root, "a");
        Inode again = fs.createFile(root, "a", mode(0644), true);
        assertThat(again).isNotEqualTo(a);
        assertVfsError(VfsError.STALE, () -> fs.getattr(a));
    }

    @Test
    void mknod_devices_keepMajorAndMinor() throws Exception {
        Inode b = fs.mknod(root, "b", FileType.BLOCK_DEVICE, 8, 1, mode(0660));
        Inode c = fs.mknod(root, "c", FileType.CHAR_DEVICE, 1, 3, mode(0666));
        assertThat(fs.getattr(b).type()).isEqualTo(FileType.BLOCK_DEVICE);
        assertThat(fs.getattr(b).rdevMajor()).isEqualTo(8);
        assertThat(fs.getattr(b).rdevMinor()).isEqualTo(1);
        assertThat(fs.getattr(c).type()).isEqualTo(FileType.CHAR_DEVICE);
        assertThat(fs.getattr(c).rdevMinor()).isEqualTo(3);
    }

    @Test
    void write_beyondCapacity_NOSPCAndFileUnchanged() throws Exception {
        var small = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withCapacity(4 * SparseContent.CHUNK, 100));
        Inode f = small.createFile(small.root(), "f", mode(0644), true);
        small.write(f, 0, ByteBuffer.allocate(3 * SparseContent.CHUNK), Stability.UNSTABLE);
        assertVfsError(VfsError.NOSPC, () -> small.write(f, 3L * SparseContent.CHUNK, ByteBuffer.allocate(2 * SparseContent.CHUNK), Stability.UNSTABLE));
        assertThat(small.getattr(f).size()).isEqualTo(3L * SparseContent.CHUNK);
        assertThat(small.fsStat().freeBytes()).isEqualTo(SparseContent.CHUNK);
        small.remove(small.root(), "f");
        assertThat(small.fsStat().freeBytes()).isEqualTo(4L * SparseContent.CHUNK);
    }

    @Test
    void setattr_truncate_releasesSpace() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        long free0 = fs.fsStat().freeBytes();
        fs.write(f, 0, ByteBuffer.allocate(5 * SparseContent.CHUNK), Stability.UNSTABLE);
        assertThat(fs.fsStat().freeBytes()).isEqualTo(free0 - 5L * SparseContent.CHUNK);
        fs.setattr(f, new SetAttributes(null, null, null, 1L, null, null));
        assertThat(fs.fsStat().freeBytes()).isEqualTo(free0 - SparseContent.CHUNK);
    }

    @Test
    void create_beyondMaxFiles_NOSPC() throws Exception {
        var small = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withCapacity(1 << 20, 3));
        small.createFile(small.root(), "a", mode(0644), true);
        small.mkdir(small.root(), "b", mode(0755));
        assertVfsError(VfsError.NOSPC, () -> small.createFile(small.root(), "c", mode(0644), true));
        assertThat(small.fsStat().freeFiles()).isZero();
    }

    @Test
    void options_rootAndFsid_applied() throws Exception {
        var custom = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withFsid(77).withRoot(01777, 5, 6));
        Stat s = custom.getattr(custom.root());
        assertThat(custom.fsid()).isEqualTo(77);
        assertThat(s.mode()).isEqualTo(01777);
        assertThat(s.uid()).isEqualTo(5);
        assertThat(s.gid()).isEqualTo(6);
    }
    // ---- NFSv4.2: this backend's own rules ----

    @Test
    void clone_alignedRange_copiesBytes() throws Exception {
        Inode src = fs.createFile(root, "src", mode(0644), true);
        byte[] data = new byte[3 * 4096 + 5];
        new java.util.Random(7).nextBytes(data);
        fs.write(src, 0, ByteBuffer.wrap(data), Stability.UNSTABLE);
        Inode dst = fs.createFile(root, "dst", mode(0644), true);
        fs.clone(src, 4096, dst, 8192, 2 * 4096 + 5); // unaligned length allowed: it ends at the source's EOF
        ByteBuffer out = ByteBuffer.allocate(2 * 4096 + 5);
        fs.read(dst, 8192, out);
        assertThat(out.array()).isEqualTo(java.util.Arrays.copyOfRange(data, 4096, data.length));
        assertThat(fs.getattr(dst).size()).isEqualTo(8192 + 2 * 4096 + 5);
    }

    @Test
    void clone_unalignedOrOverlappingOrPastEnd_INVAL() throws Exception {
        Inode src = fs.createFile(root, "src", mode(0644), true);
        fs.write(src, 0, ByteBuffer.allocate(4 * 4096), Stability.UNSTABLE);
        Inode dst = fs.createFile(root, "dst", mode(0644), true);
        assertVfsError(VfsError.INVAL, () -> fs.clone(src, 1, dst, 0, 4096));
        assertVfsError(VfsError.INVAL, () -> fs.clone(src, 0, dst, 0, 100));
        assertVfsError(VfsError.INVAL, () -> fs.clone(src, 0, src, 4096, 2 * 4096));
        assertVfsError(VfsError.INVAL, () -> fs.clone(src, 4096, dst, 0, 4 * 4096));
        assertThat(fs.cloneBlockSize()).isEqualTo(4096);
    }

    @Test
    void allocate_beyondCapacity_NOSPC() throws Exception {
        MemoryFileSystem small = new MemoryFileSystem(clock,
                MemoryFileSystem.Options.DEFAULTS.withCapacity(4 * SparseContent.CHUNK, 100));
        Inode f = small.createFile(small.root(), "f", mode(0644), true);
        small.allocate(f, 0, 2 * SparseContent.CHUNK);
        assertThat(small.fsStat().freeBytes()).isEqualTo(2L * SparseContent.CHUNK);
        assertVfsError(VfsError.NOSPC, () -> small.allocate(f, 0, 5L * SparseContent.CHUNK));
        assertVfsError(VfsError.NOSPC, () -> small.allocate(f, 0, 1L << 50)); // refused without counting chunks
        small.deallocate(f, 0, Long.MAX_VALUE); // nothing past EOF: no cost for the range's size
        assertThat(small.fsStat().freeBytes()).isEqualTo(4L * SparseContent.CHUNK);
        small.allocate(f, 0, 2 * SparseContent.CHUNK);
        small.deallocate(f, 0, 2 * SparseContent.CHUNK);
        assertThat(small.fsStat().freeBytes()).isEqualTo(4L * SparseContent.CHUNK);
    }

    @Test
    void xattr_bytesCountAgainstCapacity_freedWithTheFile() throws Exception {
        MemoryFileSystem small = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withCapacity(100_000, 100));
        Inode f = small.createFile(small.root(), "f", mode(0644), true);
        small.setxattr(f, "a", new byte[60_000], org.jnfsd.vfs.XattrMode.EITHER);
        assertThat(small.fsStat().freeBytes()).isEqualTo(100_000 - 60_001);
        assertVfsError(VfsError.NOSPC, () -> small.setxattr(f, "b", new byte[60_000], org.jnfsd.vfs.XattrMode.EITHER));
        small.remove(small.root(), "f");
        assertThat(small.fsStat().freeBytes()).isEqualTo(100_000);
    }

    @Test
    void xattr_value64KiB_fits() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        fs.setxattr(f, "big", new byte[65536], org.jnfsd.vfs.XattrMode.EITHER);
        assertThat(fs.getxattr(f, "big")).hasSize(65536);
    }

    @Test
    void xattr_namesBeyondOneListBuffer_NOSPC() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        String base = "n".repeat(240);
        int fit = 0;
        try {
            for (; fit < 1000; fit++) {
                fs.setxattr(f, base + String.format("%04d", fit), new byte[0], org.jnfsd.vfs.XattrMode.CREATE);
            }
        } catch (org.jnfsd.vfs.VfsException e) {
            assertThat(e.error()).isEqualTo(VfsError.NOSPC);
        }
        assertThat(fit).isEqualTo(65536 / (5 + 244 + 1));
    }
}

package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handles the index does not know, after a restart (a new backend on the same directory), are
 * resolved by the kernel file handle they carry, without a scan (issue 16); without the privilege
 * to open by handle, and for handles of the 16-byte shape from before, the scan still finds them.
 */
class KernelHandlesTest {
    @TempDir
    Path dir;

    private Inode deep;
    private LocalFileSystem fs;

    @BeforeEach
    void makeTree() throws Exception {
        try (LocalFileSystem before = new LocalFileSystem(dir, Clock.systemUTC())) {
            Inode a = before.mkdir(before.root(), "a", SetAttributes.NONE);
            Inode b = before.mkdir(a, "b", SetAttributes.NONE);
            for (int i = 0; i < 20; i++) {
                before.createFile(before.root(), "f" + i, SetAttributes.NONE, true);
            }
            deep = before.createFile(b, "deep", SetAttributes.NONE, true);
            before.write(deep, 0, java.nio.ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)), org.jnfsd.vfs.Stability.FILE_SYNC);
        }
    }

    @AfterEach
    void close() {
        if (fs != null) {
            fs.close();
        }
    }

    private LocalFileSystem restarted(boolean openByHandle) throws Exception {
        fs = new LocalFileSystem(dir, Clock.systemUTC(), 16, openByHandle);
        return fs;
    }

    @Test
    void restart_handleResolvedByKernel_noScan() throws Exception {
        LocalFileSystem after = restarted(true);
        assumeTrue(after.kernelOpens(), "this process may not open by handle (no CAP_DAC_READ_SEARCH)");

        assertThat(after.getattr(deep).type()).isEqualTo(FileType.REGULAR);
        assertThat(after.getattr(deep).size()).isEqualTo(4);

        assertThat(after.fallbackScans()).as("scans").isZero();
        assertThat(after.kernelResolutions()).isEqualTo(1);
        assertThat(after.lookup(after.lookup(after.lookup(after.root(), "a"), "b"), "deep"))
                .as("the same handle from a lookup").isEqualTo(deep);
    }

    @Test
    void restart_renamedByAnotherProcess_resolvedAtItsNewPath_noScan() throws Exception {
        Files.move(dir.resolve("a/b"), dir.resolve("moved"));
        LocalFileSystem after = restarted(true);
        assumeTrue(after.kernelOpens(), "this process may not open by handle");

        assertThat(after.getattr(deep).type()).isEqualTo(FileType.REGULAR);
        assertThat(after.fallbackScans()).isZero();
    }

    @Test
    void restart_removedByAnotherProcess_staleWithoutScan() throws Exception {
        Files.delete(dir.resolve("a/b/deep"));
        LocalFileSystem after = restarted(true);
        assumeTrue(after.kernelOpens(), "this process may not open by handle");

        assertThatThrownBy(() -> after.getattr(deep)).isInstanceOf(VfsException.class)
                .extracting(e -> ((VfsException) e).error()).isEqualTo(VfsError.STALE);
        assertThat(after.fallbackScans()).isZero();
    }

    @Test
    void restart_withoutThePrivilege_scanFindsIt() throws Exception {
        LocalFileSystem after = restarted(false);

        assertThat(after.getattr(deep).type()).isEqualTo(FileType.REGULAR);
        assertThat(after.fallbackScans()).isEqualTo(1);
        assertThat(after.kernelResolutions()).isZero();
    }

    @Test
    void restart_handleOfTheShapeFromBefore_scanFindsIt() throws Exception {
        Inode old = new Inode(Arrays.copyOf(deep.bytes(), KernelHandles.PREFIX));
        LocalFileSystem after = restarted(true);

        assertThat(after.getattr(old).type()).isEqualTo(FileType.REGULAR);
        assertThat(after.fallbackScans()).isEqualTo(1);
    }

    @Test
    void close_whileAResolutionPassesTheRootDescriptor_waitsForIt_resolutionSucceeds() throws Exception {
        LocalFileSystem after = restarted(true);
        assumeTrue(after.kernelOpens(), "this process may not open by handle");
        KernelHandles kernel = after.kernel;
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        kernel.resolveHook = () -> {
            inside.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        AtomicReference<Object> resolved = new AtomicReference<>();
        Thread resolver = new Thread(() -> {
            try {
                resolved.set(after.getattr(deep).type());
            } catch (VfsException | RuntimeException e) {
                resolved.set(e);
            }
        });
        resolver.start();
        inside.await();
        Thread closer = new Thread(kernel::close);
        closer.start();
        // bounded: until the close either finished (the bug) or queued behind the resolution
        for (long i = 0; i < 2_000_000_000L && closer.isAlive() && !kernel.closeWaiting(); i++) {
            Thread.onSpinWait();
        }
        go.countDown();
        resolver.join();
        closer.join();

        assertThat(resolved.get()).as("resolved by the kernel, with the descriptor still open").isEqualTo(FileType.REGULAR);
        assertThat(after.fallbackScans()).as("no scan: the descriptor was not closed under the resolution").isZero();
        assertThat(after.kernelResolutions()).isEqualTo(1);
        assertThat(kernel.canOpen()).as("closed afterwards").isFalse();
    }
}

package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback scan for a handle the index does not know (after a restart) holds no lock that
 * creates and removes need (issue 16): one is blocked inside a scan while another caller creates
 * and removes a file, and the scan then still resolves its handle.
 */
class ScanWithoutLockTest {
    @TempDir
    Path dir;

    @Test
    void createAndRemove_whileAScanIsBlocked_complete() throws Exception {
        Inode deep;
        try (LocalFileSystem before = new LocalFileSystem(dir, Clock.systemUTC())) {
            Inode a = before.mkdir(before.root(), "a", SetAttributes.NONE);
            deep = before.createFile(a, "deep", SetAttributes.NONE, true);
        }
        LocalFileSystem fs = new LocalFileSystem(dir, Clock.systemUTC()); // a restart: empty index
        CountDownLatch inScan = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fs.scanHook = () -> {
            inScan.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<Stat> scanned = CompletableFuture.supplyAsync(() -> {
            try {
                return fs.getattr(deep);
            } catch (VfsException e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofPlatform().daemon()::start);
        inScan.await();
        try {
            // checked first: were it held, the remove below would wait for the scan forever
            assertThat(fs.namespaceLockHeld()).as("namespace lock held during the scan").isFalse();
            Inode made = fs.createFile(fs.root(), "other", SetAttributes.NONE, true);
            fs.remove(fs.root(), "other");
            assertThat(made).isNotNull();
        } finally {
            fs.scanHook = () -> { };
            release.countDown();
        }

        assertThat(scanned.get().type()).isEqualTo(FileType.REGULAR);
        fs.close();
    }
}

package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * The fallback scan for a handle the index does not know (after a restart, in a process that may
 * not open by kernel handle) holds no lock that creates and removes need (issue 16): four callers
 * resolve unknown handles, one of them blocked inside its scan and the others waiting for it, while
 * another caller creates and removes a file; the scans then still resolve their handles.
 */
class ScanWithoutLockTest {
    private static final int SCANNERS = 4;

    @TempDir
    Path dir;

    @Test
    void createAndRemove_whileFourScansArePending_complete() throws Exception {
        List<Inode> deep = new ArrayList<>();
        try (LocalFileSystem before = new LocalFileSystem(dir, Clock.systemUTC())) {
            Inode a = before.mkdir(before.root(), "a", SetAttributes.NONE);
            for (int i = 0; i < SCANNERS; i++) {
                deep.add(before.createFile(a, "deep" + i, SetAttributes.NONE, true));
            }
        }
        // a restart without CAP_DAC_READ_SEARCH: an empty index, and only the scan to fill it
        LocalFileSystem fs = new LocalFileSystem(dir, Clock.systemUTC(), 16, false);
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
        CountDownLatch started = new CountDownLatch(SCANNERS);
        List<CompletableFuture<Stat>> scanned = new ArrayList<>();
        for (Inode h : deep) {
            scanned.add(CompletableFuture.supplyAsync(() -> {
                started.countDown();
                try {
                    return fs.getattr(h);
                } catch (VfsException e) {
                    throw new IllegalStateException(e);
                }
            }, Thread.ofPlatform().daemon()::start));
        }
        started.await();
        inScan.await();
        while (fs.scansWaiting() < SCANNERS - 1) {
            Thread.onSpinWait(); // the others gave up their read hold before queueing for the scan
        }
        try {
            // checked first: were it held, the remove below would wait for the scan forever
            assertThat(fs.namespaceLockHeld()).as("namespace lock held during the scan").isFalse();
            Inode made = fs.createFile(fs.root(), "other", SetAttributes.NONE, true);
            fs.remove(fs.root(), "other");
            assertThat(made).isNotNull();
            assertThat(scanned).as("scans still pending").noneMatch(CompletableFuture::isDone);
        } finally {
            fs.scanHook = () -> { };
            release.countDown();
        }

        for (CompletableFuture<Stat> s : scanned) {
            assertThat(s.get().type()).isEqualTo(FileType.REGULAR);
        }
        fs.close();
    }
}

package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelCacheTest {
    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), name);
    }

    @Test
    void acquire_sameKeyTwice_sharesOneChannel() throws Exception {
        try (ChannelCache cache = new ChannelCache(4)) {
            Path a = file("a");
            ChannelCache.Key k = new ChannelCache.Key(1, 0);
            try (var l1 = cache.acquire(k, a, false); var l2 = cache.acquire(k, a, false)) {
                assertThat(l1.channel()).isSameAs(l2.channel());
            }
            assertThat(cache.size()).isEqualTo(1);
        }
    }

    @Test
    void adopt_newKey_isCachedAndServesTheNextWrite() throws Exception {
        try (ChannelCache cache = new ChannelCache(4)) {
            FileChannel ch = FileChannel.open(file("a"), StandardOpenOption.READ, StandardOpenOption.WRITE);
            ChannelCache.Key k = new ChannelCache.Key(1, 0);
            cache.adopt(k, ch);
            try (var lease = cache.tryAcquire(k, true)) {
                assertThat(lease.channel()).isSameAs(ch);
            }
            assertThat(ch.isOpen()).isTrue();
        }
    }

    @Test
    void adopt_keyAlreadyCachedOrCacheClosed_closesTheAdoptedChannel() throws Exception {
        ChannelCache cache = new ChannelCache(4);
        ChannelCache.Key k = new ChannelCache.Key(1, 0);
        cache.acquire(k, file("a"), true).close();
        FileChannel second = FileChannel.open(dir.resolve("a"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        cache.adopt(k, second);
        assertThat(second.isOpen()).isFalse();
        cache.close();
        FileChannel late = FileChannel.open(dir.resolve("a"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        cache.adopt(new ChannelCache.Key(2, 0), late);
        assertThat(late.isOpen()).isFalse();
    }

    @Test
    void acquire_beyondCapacity_evictsEldestAndClosesIt() throws Exception {
        try (ChannelCache cache = new ChannelCache(2)) {
            var la = cache.acquire(new ChannelCache.Key(1, 0), file("a"), false);
            var ch = la.channel();
            la.close();
            cache.acquire(new ChannelCache.Key(2, 0), file("b"), false).close();
            cache.acquire(new ChannelCache.Key(3, 0), file("c"), false).close();
            assertThat(cache.size()).isEqualTo(2);
            assertThat(ch.isOpen()).isFalse();
            assertThat(cache.tryAcquire(new ChannelCache.Key(1, 0), false)).isNull();
        }
    }

    @Test
    void evict_whileLeased_closesOnlyAtLastRelease() throws Exception {
        try (ChannelCache cache = new ChannelCache(1)) {
            var la = cache.acquire(new ChannelCache.Key(1, 0), file("a"), false);
            cache.acquire(new ChannelCache.Key(2, 0), file("b"), false).close();
            assertThat(la.channel().isOpen()).isTrue();
            ByteBuffer buf = ByteBuffer.allocate(1);
            assertThat(la.channel().read(buf, 0)).isEqualTo(1);
            la.close();
            assertThat(la.channel().isOpen()).isFalse();
            assertThatThrownBy(() -> la.channel().read(ByteBuffer.allocate(1), 0)).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void invalidate_whileLeased_closesAtReleaseAndForgets() throws Exception {
        try (ChannelCache cache = new ChannelCache(4)) {
            ChannelCache.Key k = new ChannelCache.Key(1, 0);
            var la = cache.acquire(k, file("a"), true);
            cache.invalidate(k);
            assertThat(la.channel().isOpen()).isTrue();
            assertThat(cache.tryAcquire(k, false)).isNull();
            la.close();
            assertThat(la.channel().isOpen()).isFalse();
        }
    }

    @Test
    void close_closesIdleChannelsAndRefusesNewLeases() throws Exception {
        ChannelCache cache = new ChannelCache(4);
        var la = cache.acquire(new ChannelCache.Key(1, 0), file("a"), false);
        var ch = la.channel();
        la.close();
        cache.close();
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(() -> cache.acquire(new ChannelCache.Key(2, 0), file("b"), false)).isInstanceOf(IOException.class);
    }

    @Test
    void lease_closedTwice_releasesOnce() throws Exception {
        try (ChannelCache cache = new ChannelCache(1)) {
            var l1 = cache.acquire(new ChannelCache.Key(1, 0), file("a"), false);
            var l2 = cache.acquire(new ChannelCache.Key(1, 0), file("a"), false);
            l1.close();
            l1.close();
            cache.acquire(new ChannelCache.Key(2, 0), file("b"), false).close();
            assertThat(l2.channel().isOpen()).isTrue();
            l2.close();
            assertThat(l2.channel().isOpen()).isFalse();
        }
    }

    /** An opener that answers EMFILE the next {@code failures} times, then opens. */
    private static ChannelCache.Opener emfile(int[] failures) {
        return (k, p, w) -> {
            if (failures[0] > 0) {
                failures[0]--;
                throw new java.nio.file.FileSystemException(p.toString(), null, "Too many open files");
            }
            return ChannelCache.open(k, p, w);
        };
    }

    @Test
    void acquire_outOfDescriptors_closesTheIdleChannelsAndOpensAgain() throws Exception {
        int[] failures = {0};
        try (ChannelCache cache = new ChannelCache(8, emfile(failures))) {
            ChannelCache.Key busy = new ChannelCache.Key(1, 0);
            var held = cache.acquire(busy, file("busy"), false);
            FileChannel idle;
            try (var l = cache.acquire(new ChannelCache.Key(2, 0), file("idle"), false)) {
                idle = l.channel();
            }
            failures[0] = 1;
            try (var l = cache.acquire(new ChannelCache.Key(3, 0), file("c"), true)) {
                assertThat(l.channel().isOpen()).isTrue();
            }
            assertThat(idle.isOpen()).as("the idle channel closed to make room").isFalse();
            assertThat(held.channel().isOpen()).as("the leased one kept").isTrue();
            assertThat(cache.size()).isEqualTo(2);
            held.close();
        }
    }

    @Test
    void acquire_stillOutOfDescriptors_failsAsDelayNotIo() throws Exception {
        int[] failures = {2};
        try (ChannelCache cache = new ChannelCache(8, emfile(failures))) {
            Path a = file("a");
            assertThatThrownBy(() -> cache.acquire(new ChannelCache.Key(1, 0), a, false))
                    .isInstanceOfSatisfying(java.nio.file.FileSystemException.class, e -> assertThat(
                            LocalFileSystem.error(e, "read").error()).isEqualTo(org.jnfsd.vfs.VfsError.DELAY));
            assertThat(failures[0]).isZero();
        }
    }
}

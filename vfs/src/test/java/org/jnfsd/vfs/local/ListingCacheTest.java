package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.jnfsd.vfs.local.ListingCache.Key;
import org.jnfsd.vfs.local.ListingCache.Named;
import org.junit.jupiter.api.Test;

class ListingCacheTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Key A = new Key(10, 1);
    private static final Key B = new Key(11, 1);

    private static List<Named> names(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Named("f" + i, 3 + i)).toList();
    }

    @Test
    void get_sameTimes_theListing() {
        ListingCache c = new ListingCache(4, 100);
        c.put(A, T, T, names(3));
        assertThat(c.get(A, T, T)).isEqualTo(names(3));
    }

    @Test
    void get_mtimeOrCtimeMoved_nullAndDropped() {
        ListingCache c = new ListingCache(4, 100);
        c.put(A, T, T, names(3));
        assertThat(c.get(A, T.plusNanos(1), T)).as("mtime moved").isNull();
        assertThat(c.size()).isZero();
        c.put(A, T, T, names(3));
        assertThat(c.get(A, T, T.plusNanos(1))).as("ctime moved").isNull();
        assertThat(c.entries()).isZero();
    }

    @Test
    void invalidate_anyGenerationOfTheInode_dropped() {
        ListingCache c = new ListingCache(4, 100);
        c.put(A, T, T, names(3));
        c.put(B, T, T, names(2));
        c.invalidate(10);
        assertThat(c.get(A, T, T)).isNull();
        assertThat(c.get(B, T, T)).isNotNull();
        assertThat(c.entries()).isEqualTo(2);
    }

    @Test
    void put_beyondDirectoriesOrEntries_leastRecentlyUsedOut() {
        ListingCache c = new ListingCache(2, 10);
        c.put(A, T, T, names(4));
        c.put(B, T, T, names(4));
        c.get(A, T, T); // A now the most recently used
        c.put(new Key(12, 1), T, T, names(4)); // three directories and 12 names: B goes
        assertThat(c.get(B, T, T)).isNull();
        assertThat(c.get(A, T, T)).isNotNull();
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.entries()).isEqualTo(8);
    }

    @Test
    void put_directoryLargerThanTheBound_notKept() {
        ListingCache c = new ListingCache(2, 10);
        c.put(A, T, T, names(11));
        assertThat(c.get(A, T, T)).isNull();
        assertThat(c.entries()).isZero();
    }
}

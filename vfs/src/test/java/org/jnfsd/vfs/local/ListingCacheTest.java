package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.jnfsd.vfs.local.ListingCache.Key;
import org.jnfsd.vfs.local.ListingCache.Listing;
import org.jnfsd.vfs.local.ListingCache.Named;
import org.junit.jupiter.api.Test;

class ListingCacheTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Key A = new Key(10, 1);
    private static final Key B = new Key(11, 1);

    private static Listing names(int n) {
        return Listing.of(IntStream.range(0, n).mapToObj(i -> new Named("f" + i, 3 + 2L * i)).toList());
    }

    /** The bytes a listing of {@link #names}({@code n}) holds. */
    private static long bytes(int n) {
        return names(n).bytes();
    }

    @Test
    void listing_namesAndCookiesBack_firstAfterByBinarySearch() {
        Listing l = Listing.of(List.of(new Named("a", 3), new Named("é😀", 10), new Named("", 11)));
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.name(1)).isEqualTo("é😀");
        assertThat(l.name(2)).isEmpty();
        assertThat(l.cookie(1)).isEqualTo(10);
        assertThat(l.firstAfter(0)).isZero();
        assertThat(l.firstAfter(3)).isEqualTo(1);
        assertThat(l.firstAfter(9)).isEqualTo(1);
        assertThat(l.firstAfter(10)).isEqualTo(2);
        assertThat(l.firstAfter(11)).isEqualTo(3);
        assertThat(Listing.of(List.of()).firstAfter(5)).isZero();
    }

    @Test
    void listing_cookiesNotIncreasing_refused() {
        assertThatThrownBy(() -> Listing.of(List.of(new Named("a", 5), new Named("b", 5))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void get_sameTimes_theListing() {
        ListingCache c = new ListingCache(4, 1000);
        Listing l = names(3);
        c.put(A, T, T, l);
        assertThat(c.get(A, T, T)).isSameAs(l);
    }

    @Test
    void get_mtimeOrCtimeMoved_nullAndDropped() {
        ListingCache c = new ListingCache(4, 1000);
        c.put(A, T, T, names(3));
        assertThat(c.get(A, T.plusNanos(1), T)).as("mtime moved").isNull();
        assertThat(c.size()).isZero();
        c.put(A, T, T, names(3));
        assertThat(c.get(A, T, T.plusNanos(1))).as("ctime moved").isNull();
        assertThat(c.bytes()).isZero();
    }

    @Test
    void invalidate_anyGenerationOfTheInode_dropped() {
        ListingCache c = new ListingCache(4, 1000);
        c.put(A, T, T, names(3));
        c.put(new Key(10, 2), T, T, names(3));
        c.put(B, T, T, names(2));
        c.invalidate(10);
        assertThat(c.get(A, T, T)).isNull();
        assertThat(c.get(new Key(10, 2), T, T)).isNull();
        assertThat(c.get(B, T, T)).isNotNull();
        assertThat(c.bytes()).isEqualTo(bytes(2));
    }

    @Test
    void put_beyondDirectoriesOrBytes_leastRecentlyUsedOut() {
        ListingCache c = new ListingCache(2, 1000);
        c.put(A, T, T, names(4));
        c.put(B, T, T, names(4));
        c.get(A, T, T); // A now the most recently used
        c.put(new Key(12, 1), T, T, names(4)); // three directories: B goes
        assertThat(c.get(B, T, T)).isNull();
        assertThat(c.get(A, T, T)).isNotNull();
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.bytes()).isEqualTo(2 * bytes(4));

        ListingCache small = new ListingCache(8, 2 * bytes(4) + 1);
        small.put(A, T, T, names(4));
        small.put(B, T, T, names(4));
        small.put(new Key(12, 1), T, T, names(4)); // beyond the bytes: A goes
        assertThat(small.get(A, T, T)).isNull();
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    void put_directoryLargerThanTheBound_notKept() {
        ListingCache c = new ListingCache(2, bytes(10));
        c.put(A, T, T, names(11));
        assertThat(c.get(A, T, T)).isNull();
        assertThat(c.bytes()).isZero();
    }

    @Test
    void listing_aMillionShortNames_aboutTwentyMegabytes() {
        Listing l = Listing.of(IntStream.range(0, 1_000_000).mapToObj(i -> new Named("f" + i, 3L + i)).toList());
        assertThat(l.bytes()).isLessThan(20L << 20);
        assertThat(l.name(999_999)).isEqualTo("f999999");
        assertThat(l.firstAfter(3L + 500_000)).isEqualTo(500_001);
    }
}

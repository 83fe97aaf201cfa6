package org.jnfsd.vfs;

import java.nio.charset.StandardCharsets;

/**
 * The readdir cookie scheme both backends share: a cookie is a 62-bit hash of the entry's name, so
 * it stays the same while the entry exists no matter what else is added or removed, and a listing
 * resumed "strictly after cookie c" neither repeats nor skips unchanged entries. Entries are
 * returned in cookie order. Values 0, 1 and 2 are reserved by NFSv4 and never produced.
 *
 * <p>Two names with the same hash (probability about n²/2⁶³ per directory) are told apart by
 * {@link #next(long)}: the later one takes the next free value. A backend that remembers the
 * cookie it gave (memory) keeps it stable; one that recomputes on each listing (local) orders
 * colliding names by name, which is stable unless the first of them is removed.
 */
public final class DirCookies {
    /** Cookies are below this bound (62 bits), leaving room for {@link #next(long)}. */
    public static final long LIMIT = 1L << 62;

    private static final long FIRST = 3;

    private DirCookies() {}

    /** The preferred cookie of {@code name}: in [3, 2⁶²). */
    public static long of(String name) {
        // FNV-1a 64 over the UTF-8 bytes, then a murmur3 finalizer to spread the bits.
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        long c = h & (LIMIT - 1);
        return c < FIRST ? c + FIRST : c;
    }

    /** The value to try after {@code cookie} collided: the next one, wrapping to the first. */
    public static long next(long cookie) {
        long n = cookie + 1;
        return n >= LIMIT ? FIRST : n;
    }
}

package org.jnfsd.vfs.local;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sorted listings of recently read directories, so that a READDIR resuming at a cookie finds
 * its place by binary search instead of listing and sorting the whole directory again (which made
 * listing a directory of n entries cost n²/batch). A listing is used only while the directory's
 * mtime and ctime are those it had when it was read (every change of a directory's entries, by
 * any process, sets both; since Linux 6.13 a change right after a {@code statx} of them gets a
 * fine-grained, strictly later time), and the backend drops it at once when it changes the
 * directory itself.
 *
 * <p>A listing is kept compact ({@link Listing}: a cookie, an offset and the UTF-8 name per entry,
 * about 19 bytes for a name of 7 characters, against ~100 for a {@code String} and a record), so
 * that a directory of a million entries fits in ~20 MiB. Bounded: at most {@link #maxDirectories}
 * listings and {@link #maxBytes} bytes in all, least recently used first out; a directory larger
 * than the whole bound is never cached (its READDIR lists it again at every call).
 *
 * <p>Thread-safe: every method synchronizes on this object; a {@link Listing} is immutable.
 */
final class ListingCache {
    /** One name of a directory listing and the cookie it gets. */
    record Named(String name, long cookie) {}

    /** A directory: inode number and generation, as in its handle. */
    record Key(long ino, long generation) {}

    /** The names of one directory in cookie order, packed: immutable. */
    static final class Listing {
        private final long[] cookies;
        private final int[] offsets; // name i is utf8[offsets[i], offsets[i + 1])
        private final byte[] utf8;

        private Listing(long[] cookies, int[] offsets, byte[] utf8) {
            this.cookies = cookies;
            this.offsets = offsets;
            this.utf8 = utf8;
        }

        /** Packs {@code names}, already in strictly increasing cookie order. */
        static Listing of(List<Named> names) {
            int n = names.size();
            long[] cookies = new long[n];
            int[] offsets = new int[n + 1];
            byte[][] parts = new byte[n][];
            long total = 0;
            for (int i = 0; i < n; i++) {
                Named e = names.get(i);
                if (i > 0 && e.cookie() <= cookies[i - 1]) {
                    throw new IllegalArgumentException("cookies not increasing at " + i + ": " + e);
                }
                cookies[i] = e.cookie();
                parts[i] = e.name().getBytes(StandardCharsets.UTF_8);
                total += parts[i].length;
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("names too long in all: " + total + " bytes");
            }
            byte[] utf8 = new byte[(int) total];
            int at = 0;
            for (int i = 0; i < n; i++) {
                offsets[i] = at;
                System.arraycopy(parts[i], 0, utf8, at, parts[i].length);
                at += parts[i].length;
            }
            offsets[n] = at;
            return new Listing(cookies, offsets, utf8);
        }

        int size() {
            return cookies.length;
        }

        long cookie(int i) {
            return cookies[i];
        }

        String name(int i) {
            return new String(utf8, offsets[i], offsets[i + 1] - offsets[i], StandardCharsets.UTF_8);
        }

        /** The index of the first entry whose cookie is above {@code cookie} ({@link #size()} if none). */
        int firstAfter(long cookie) {
            int lo = 0;
            int hi = cookies.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cookies[mid] <= cookie) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The heap this listing holds, roughly: its three arrays. */
        long bytes() {
            return 16L + 8L * cookies.length + 16L + 4L * offsets.length + 16L + utf8.length;
        }
    }

    private record Entry(Instant mtime, Instant ctime, Listing listing) {}

    private final int maxDirectories;
    private final long maxBytes;
    private long bytes; // guarded by this
    private final LinkedHashMap<Key, Entry> listings = new LinkedHashMap<>(16, 0.75f, true); // guarded by this

    ListingCache(int maxDirectories, long maxBytes) {
        this.maxDirectories = maxDirectories;
        this.maxBytes = maxBytes;
    }

    /** The listing of {@code dir} read when its times were {@code mtime} and {@code ctime}, or null. */
    synchronized Listing get(Key dir, Instant mtime, Instant ctime) {
        Entry l = listings.get(dir);
        if (l == null) {
            return null;
        }
        if (!l.mtime().equals(mtime) || !l.ctime().equals(ctime)) {
            remove(dir);
            return null;
        }
        return l.listing();
    }

    /** Keeps {@code listing}, that of {@code dir} at times {@code mtime} and {@code ctime} (read before listing). */
    synchronized void put(Key dir, Instant mtime, Instant ctime, Listing listing) {
        remove(dir);
        if (listing.bytes() > maxBytes) {
            return;
        }
        listings.put(dir, new Entry(mtime, ctime, listing));
        bytes += listing.bytes();
        Iterator<Map.Entry<Key, Entry>> eldest = listings.entrySet().iterator();
        while (listings.size() > maxDirectories || bytes > maxBytes) {
            bytes -= eldest.next().getValue().listing().bytes();
            eldest.remove();
        }
    }

    /** Drops the listing of directory {@code ino} (any generation): the backend changed it. */
    synchronized void invalidate(long ino) {
        Iterator<Map.Entry<Key, Entry>> it = listings.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> e = it.next();
            if (e.getKey().ino() == ino) {
                bytes -= e.getValue().listing().bytes();
                it.remove();
            }
        }
    }

    synchronized int size() {
        return listings.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private void remove(Key dir) {
        Entry old = listings.remove(dir);
        if (old != null) {
            bytes -= old.listing().bytes();
        }
    }
}

package org.jnfsd.vfs.local;

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
 * directory itself. Bounded: at most {@link #maxDirectories} listings and {@link #maxEntries} names
 * in all, least recently used first out; a directory larger than the bound is never cached.
 *
 * <p>Thread-safe: every method synchronizes on this object.
 */
final class ListingCache {
    /** One name of a directory listing and the cookie it gets. */
    record Named(String name, long cookie) {}

    /** A directory: inode number and generation, as in its handle. */
    record Key(long ino, long generation) {}

    private record Listing(Instant mtime, Instant ctime, List<Named> names) {}

    private final int maxDirectories;
    private final long maxEntries;
    private long entries; // guarded by this
    private final LinkedHashMap<Key, Listing> listings = new LinkedHashMap<>(16, 0.75f, true); // guarded by this

    ListingCache(int maxDirectories, long maxEntries) {
        this.maxDirectories = maxDirectories;
        this.maxEntries = maxEntries;
    }

    /** The listing of {@code dir} read when its times were {@code mtime} and {@code ctime}, or null. */
    synchronized List<Named> get(Key dir, Instant mtime, Instant ctime) {
        Listing l = listings.get(dir);
        if (l == null) {
            return null;
        }
        if (!l.mtime().equals(mtime) || !l.ctime().equals(ctime)) {
            remove(dir);
            return null;
        }
        return l.names();
    }

    /** Keeps {@code names}, the listing of {@code dir} at times {@code mtime} and {@code ctime} (read before listing). */
    synchronized void put(Key dir, Instant mtime, Instant ctime, List<Named> names) {
        remove(dir);
        if (names.size() > maxEntries) {
            return;
        }
        listings.put(dir, new Listing(mtime, ctime, List.copyOf(names)));
        entries += names.size();
        Iterator<Map.Entry<Key, Listing>> eldest = listings.entrySet().iterator();
        while (listings.size() > maxDirectories || entries > maxEntries) {
            entries -= eldest.next().getValue().names().size();
            eldest.remove();
        }
    }

    /** Drops the listing of directory {@code ino} (any generation): the backend changed it. */
    synchronized void invalidate(long ino) {
        listings.keySet().removeIf(k -> k.ino() == ino);
        entries = listings.values().stream().mapToLong(l -> l.names().size()).sum();
    }

    synchronized int size() {
        return listings.size();
    }

    synchronized long entries() {
        return entries;
    }

    private void remove(Key dir) {
        Listing old = listings.remove(dir);
        if (old != null) {
            entries -= old.names().size();
        }
    }
}

package org.jnfsd.vfs.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link LocalFileSystem} has learnt of the tree: for each inode number, one name it has
 * and the inode number of the directory holding it. The links form a tree rooted at the export
 * root, so renaming a directory changes one entry and every path below it follows. It is a cache:
 * a path it gives is always checked against the inode number (and generation) before use.
 *
 * <p>It also remembers, boundedly, handles that a full scan did not find (or that were removed
 * through this backend), so a client repeating a stale handle does not cause a scan each time.
 *
 * <p>Concurrency: {@code links} is a concurrent map (last writer wins; every writer writes a name
 * it has just seen). {@code missing} is guarded by itself.
 */
final class InodeIndex {
    /** One name of an object: {@code name} in the directory whose inode number is {@code parent}. */
    record Link(long parent, String name) {}

    private static final int MAX_DEPTH = 4096;
    private static final int MAX_MISSING = 4096;

    private final long rootIno;
    private final Map<Long, Link> links = new ConcurrentHashMap<>();
    private final Map<Long, Long> missing = new LinkedHashMap<>(16, 0.75f, true) { // guarded by itself
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_MISSING;
        }
    };

    InodeIndex(long rootIno) {
        this.rootIno = rootIno;
    }

    /** Records that {@code ino} is named {@code name} in directory {@code parent}. */
    void put(long ino, long parent, String name) {
        if (ino == rootIno) {
            return;
        }
        links.put(ino, new Link(parent, name));
        synchronized (missing) {
            missing.remove(ino);
        }
    }

    /** Forgets {@code ino}'s name if it is {@code name} in {@code parent}. */
    void forget(long ino, long parent, String name) {
        links.remove(ino, new Link(parent, name));
    }

    /** Remembers that the object {@code (ino, generation)} is gone. */
    void markMissing(long ino, long generation) {
        synchronized (missing) {
            missing.put(ino, generation);
        }
    }

    boolean isMissing(long ino, long generation) {
        synchronized (missing) {
            Long g = missing.get(ino);
            return g != null && g == generation;
        }
    }

    /** The path {@code ino} had when last seen, or null when a link on the way is unknown. */
    Path pathOf(long ino, Path root) {
        String rel = relativePathOf(ino);
        return rel == null ? null : rel.isEmpty() ? root : root.resolve(rel);
    }

    /**
     * The path {@code ino} had when last seen, relative to the export root ("" for the root,
     * "a/b" below it), or null when a link on the way is unknown.
     */
    String relativePathOf(long ino) {
        if (ino == rootIno) {
            return "";
        }
        Link first = links.get(ino);
        if (first == null) {
            return null;
        }
        if (first.parent() == rootIno) {
            return first.name(); // the common case of a shallow tree: no list, no builder
        }
        List<String> names = new ArrayList<>();
        names.add(first.name());
        long cur = first.parent();
        int length = first.name().length();
        while (cur != rootIno) {
            Link l = links.get(cur);
            if (l == null || names.size() > MAX_DEPTH) {
                return null; // unknown, or a cycle left by renames seen out of order
            }
            names.add(l.name());
            length += l.name().length() + 1;
            cur = l.parent();
        }
        StringBuilder b = new StringBuilder(length);
        for (int i = names.size() - 1; i >= 0; i--) {
            b.append(names.get(i));
            if (i > 0) {
                b.append('/');
            }
        }
        return b.toString();
    }

    int size() {
        return links.size();
    }
}

package org.jnfsd.vfs.memory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jnfsd.vfs.DirCookies;
import org.jnfsd.vfs.FileType;

/**
 * One file object of a {@link MemoryFileSystem}. Every mutable field is guarded by the file
 * system's tree lock (read lock to read, write lock to write); the node itself has no lock.
 */
final class Node {
    /** One name in a directory: the child's id and the readdir cookie it was given. */
    record Child(long id, long cookie) {}

    final long id;
    final FileType type;
    final Instant birthTime;

    int mode; // guarded by tree lock
    int uid; // guarded by tree lock
    int gid; // guarded by tree lock
    int nlink; // guarded by tree lock
    Instant atime; // guarded by tree lock
    Instant mtime; // guarded by tree lock
    Instant ctime; // guarded by tree lock
    long change = 1; // guarded by tree lock
    int rdevMajor; // guarded by tree lock
    int rdevMinor; // guarded by tree lock

    /** Directories: the parent's id (the root's is its own). Guarded by tree lock. */
    long parent;
    /** Directories: entries by name. Guarded by tree lock. */
    final Map<String, Child> byName;
    /** Directories: names by cookie, the readdir order. Guarded by tree lock. */
    final TreeMap<Long, String> byCookie;
    /** Regular files: the data. Guarded by tree lock. */
    final SparseContent content;
    /** Symbolic links: the target, never changed. */
    final String target;
    /** Extended attributes by name (without "user."), null until the first. Guarded by tree lock. */
    java.util.TreeMap<String, byte[]> xattrs;

    Node(long id, FileType type, Instant now, String target) {
        this.id = id;
        this.type = type;
        this.birthTime = now;
        this.atime = now;
        this.mtime = now;
        this.ctime = now;
        this.nlink = type == FileType.DIRECTORY ? 2 : 1;
        this.byName = type == FileType.DIRECTORY ? new HashMap<>() : null;
        this.byCookie = type == FileType.DIRECTORY ? new TreeMap<>() : null;
        this.content = type == FileType.REGULAR ? new SparseContent() : null;
        this.target = target;
    }

    /** Records a change of data or attributes at {@code now}: ctime and the change counter. */
    void touchCtime(Instant now) {
        ctime = now;
        change++;
    }

    /** Records a change of contents (data, or a directory's entries) at {@code now}. */
    void touchContent(Instant now) {
        mtime = now;
        touchCtime(now);
    }

    /** Adds an entry; the caller checked that {@code name} is absent. */
    void addEntry(String name, long childId) {
        long cookie = DirCookies.of(name);
        while (byCookie.containsKey(cookie)) {
            cookie = DirCookies.next(cookie);
        }
        byCookie.put(cookie, name);
        byName.put(name, new Child(childId, cookie));
    }

    /** Removes an entry and returns the child's id; the caller checked that {@code name} exists. */
    long removeEntry(String name) {
        Child c = byName.remove(name);
        byCookie.remove(c.cookie());
        return c.id();
    }

    /** Bytes the extended attributes take: names and values. */
    long xattrBytes() {
        long n = 0;
        if (xattrs != null) {
            for (var e : xattrs.entrySet()) {
                n += xattrCost(e.getKey(), e.getValue());
            }
        }
        return n;
    }

    static long xattrCost(String name, byte[] value) {
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + (long) value.length;
    }

    long size() {
        return switch (type) {
            case REGULAR -> content.size();
            case SYMLINK -> target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            case DIRECTORY -> 4096;
            default -> 0;
        };
    }
}

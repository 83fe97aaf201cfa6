package org.jnfsd.vfs.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, least-recently-used set of open {@link FileChannel}s, so that each READ or WRITE does
 * not open and close its file. Channels are reference counted: {@link #acquire} hands out a
 * {@link Lease} and counts it; an entry evicted (by size, {@link #invalidate} or {@link #close})
 * while leased is closed by the last {@link Lease#close()}, never under a user's feet.
 *
 * <p>Concurrency: every field of the map and of {@link Entry} is guarded by {@code this}; the
 * critical sections only update the map and counts. Opening and closing files happen outside it.
 * Two threads missing the same key at once both open; the second to insert closes its channel and
 * uses the first's.
 */
final class ChannelCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelCache.class);

    /** The identity of one file: inode number and generation. */
    record Key(long ino, long generation) {}

    static final class Entry {
        final Key key;
        final FileChannel channel;
        final boolean writable;
        int leases; // guarded by ChannelCache.this
        boolean evicted; // guarded by ChannelCache.this

        Entry(Key key, FileChannel channel, boolean writable) {
            this.key = key;
            this.channel = channel;
            this.writable = writable;
        }
    }

    /** One use of a cached channel; close it when done (it does not close the channel itself). */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released; // only touched by the thread holding the lease

        private Lease(Entry entry) {
            this.entry = entry;
        }

        FileChannel channel() {
            return entry.channel;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(entry);
            }
        }
    }

    /** Opens a file's channel; a seam for tests (the process's descriptor limit cannot be lowered in one). */
    interface Opener {
        Entry open(Key key, Path path, boolean forWrite) throws IOException;
    }

    private final int capacity;
    private final Opener opener;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true); // guarded by this
    private boolean closed; // guarded by this

    ChannelCache(int capacity) {
        this(capacity, ChannelCache::open);
    }

    ChannelCache(int capacity, Opener opener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.opener = opener;
    }

    /** A lease on the cached channel of {@code key} when there is one fit for the use, else null. */
    synchronized Lease tryAcquire(Key key, boolean forWrite) throws IOException {
        if (closed) {
            throw new IOException("file system closed");
        }
        Entry e = entries.get(key);
        if (e != null && (e.writable || !forWrite)) {
            e.leases++;
            return new Lease(e);
        }
        return null;
    }

    /**
     * A lease on a channel of the file {@code key}, opened from {@code path} (without following a
     * symlink) when not cached. The file is opened read-write when possible, else read-only; a
     * caller that needs to write gets a fresh read-write attempt, which fails as the OS says.
     */
    Lease acquire(Key key, Path path, boolean forWrite) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("file system closed");
            }
            Entry e = entries.get(key);
            if (e != null && (e.writable || !forWrite)) {
                e.leases++;
                return new Lease(e);
            }
        }
        Entry fresh;
        try {
            fresh = opener.open(key, path, forWrite);
        } catch (FileSystemException e) {
            if (!outOfDescriptors(e)) {
                throw e;
            }
            int shed = closeIdle();
            LOG.warn("out of file descriptors opening {} ({}): closed {} idle cached channels and tried again;"
                    + " raise the limit (ulimit -n) or lower the open-files setting", path, e.getReason(), shed);
            fresh = opener.open(key, path, forWrite); // failing again: the caller answers DELAY
        }
        return install(fresh);
    }

    /** EMFILE or ENFILE, as the JDK words them. */
    static boolean outOfDescriptors(FileSystemException e) {
        return e.getReason() != null && e.getReason().startsWith("Too many open files");
    }

    /** Closes every cached channel nobody is using: the number closed. */
    private int closeIdle() {
        List<Entry> toClose = new ArrayList<>();
        synchronized (this) {
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.leases == 0) {
                    it.remove();
                    retire(e, toClose);
                }
            }
        }
        closeAll(toClose);
        return toClose.size();
    }

    /**
     * Caches {@code channel}, just opened read-write on the file {@code key} by the caller (a
     * create), so that the first WRITE to a new file does not open it again. Takes ownership of
     * the channel: it is closed here if the cache is closed or already holds a channel for the key.
     */
    void adopt(Key key, FileChannel channel) {
        try {
            install(new Entry(key, channel, true)).close();
        } catch (IOException e) {
            // the cache is closed: install closed the channel; the caller's create stands
            LOG.debug("channel of new file {} not cached", key, e);
        }
    }

    /** A lease on {@code fresh} (or on a fit entry already cached, closing {@code fresh}), evicting the eldest. */
    private Lease install(Entry fresh) throws IOException {
        Key key = fresh.key;
        List<Entry> toClose = new ArrayList<>();
        Lease lease;
        synchronized (this) {
            Entry current = entries.get(key);
            if (closed) {
                toClose.add(fresh);
                lease = null;
            } else if (current != null && (current.writable || !fresh.writable)) {
                current.leases++;
                toClose.add(fresh);
                lease = new Lease(current);
            } else {
                if (current != null) {
                    entries.remove(key);
                    retire(current, toClose);
                }
                fresh.leases = 1;
                entries.put(key, fresh);
                lease = new Lease(fresh);
                Iterator<Entry> it = entries.values().iterator();
                while (entries.size() > capacity && it.hasNext()) {
                    Entry eldest = it.next();
                    it.remove();
                    retire(eldest, toClose);
                }
            }
        }
        closeAll(toClose);
        if (lease == null) {
            throw new IOException("file system closed");
        }
        return lease;
    }

    /** Drops {@code key}'s channel (file removed or replaced); closed now or at its last lease. */
    void invalidate(Key key) {
        List<Entry> toClose = new ArrayList<>();
        synchronized (this) {
            Entry e = entries.remove(key);
            if (e != null) {
                retire(e, toClose);
            }
        }
        closeAll(toClose);
    }

    /** Number of cached channels, for tests. */
    synchronized int size() {
        return entries.size();
    }

    /** Closes every idle channel now and every leased one at its last lease; later acquires fail. */
    @Override
    public void close() {
        List<Entry> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry e : entries.values()) {
                retire(e, toClose);
            }
            entries.clear();
        }
        closeAll(toClose);
    }

    static Entry open(Key key, Path path, boolean forWrite) throws IOException {
        try {
            return new Entry(key, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), true);
        } catch (AccessDeniedException e) {
            if (forWrite) {
                throw e;
            }
            return new Entry(key, FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), false);
        }
    }

    /** Holds this. Marks {@code e} evicted and queues it for closing when nobody uses it. */
    private void retire(Entry e, List<Entry> toClose) {
        e.evicted = true;
        if (e.leases == 0) {
            toClose.add(e);
        }
    }

    private void release(Entry e) {
        boolean close;
        synchronized (this) {
            e.leases--;
            close = e.evicted && e.leases == 0;
        }
        if (close) {
            closeAll(List.of(e));
        }
    }

    private static void closeAll(List<Entry> list) {
        for (Entry e : list) {
            try {
                e.channel.close();
            } catch (IOException ex) {
                // Nothing can be done for a failed close of a cached channel but to say so.
                LOG.warn("closing cached channel of {} failed", e.key, ex);
            }
        }
    }
}

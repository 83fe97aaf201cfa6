package org.jnfsd.vfs.memory;

import static org.jnfsd.vfs.Arguments.NAME_MAX;
import static org.jnfsd.vfs.Arguments.checkName;
import static org.jnfsd.vfs.Arguments.checkOffset;
import static org.jnfsd.vfs.Arguments.checkRange;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jnfsd.vfs.DirEntry;
import org.jnfsd.vfs.DirList;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.FsStat;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.SeekResult;
import org.jnfsd.vfs.SeekWhat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.XattrMode;
import org.jnfsd.vfs.Xattrs;

/**
 * A file system held entirely in memory, for tests and scratch exports.
 *
 * <p>Concurrency: one {@link ReentrantReadWriteLock} ({@code lock}) guards the whole tree: the node
 * table, every {@link Node}'s fields and contents, and the space counters. Lookups, getattr,
 * readdir and read take the read lock; everything that changes anything takes the write lock. No
 * method calls out while holding it.
 *
 * <p>Handles are the node id as 8 big-endian bytes; ids are never reused, so a handle of a removed
 * object is {@link VfsError#STALE} forever. The change attribute is a per-object counter bumped on
 * every change of data, attributes or (for directories) entries. Reads do not update atime
 * (as a {@code noatime} mount). Times come from the injected {@link Clock}.
 *
 * <p>File data is stored in 64 KiB chunks; holes take no space. With a capacity configured, a write
 * or extension that needs more chunks than are free fails with {@link VfsError#NOSPC}, and creating
 * more than {@link Options#maxFiles()} objects fails the same way. SEEK sees those holes; ALLOCATE
 * creates chunks (counted against the capacity), DEALLOCATE frees whole chunks and zeroes partial
 * ones; CLONE copies (no shared extents); COPY is the default streaming copy.
 *
 * <p>Extended attributes (the {@code user.} namespace, as Linux): on regular files and directories
 * only (setting one elsewhere is {@link VfsError#PERM}, reading one is {@link VfsError#NOXATTR}),
 * with Linux's limits ({@link Xattrs}); the names of one object fit one listxattr(2) buffer
 * ({@link Xattrs#LIST_MAX}, else {@link VfsError#NOSPC}, as a file system whose attribute block is
 * full). Names and values count against the capacity. Setting or removing one changes ctime and
 * the change counter.
 */
public final class MemoryFileSystem implements VirtualFileSystem {

    /**
     * Settings, fixed at construction.
     *
     * @param fsid the fsid to report; distinct per export
     * @param capacityBytes space for file data, reported by {@link #fsStat()} and enforced
     * @param maxFiles how many objects (including the root) may exist
     * @param rootMode permission bits of the root directory
     * @param rootUid owner of the root directory
     * @param rootGid group of the root directory
     */
    public record Options(long fsid, long capacityBytes, long maxFiles, int rootMode, int rootUid, int rootGid) {
        /** fsid 1, 1 GiB, a million objects, root directory 0755 owned by 0:0. */
        public static final Options DEFAULTS = new Options(1, 1L << 30, 1_000_000, 0755, 0, 0);

        public Options {
            if (capacityBytes < 0 || maxFiles < 1) {
                throw new IllegalArgumentException("capacity " + capacityBytes + ", maxFiles " + maxFiles);
            }
        }

        public Options withFsid(long newFsid) {
            return new Options(newFsid, capacityBytes, maxFiles, rootMode, rootUid, rootGid);
        }

        public Options withCapacity(long bytes, long files) {
            return new Options(fsid, bytes, files, rootMode, rootUid, rootGid);
        }

        public Options withRoot(int mode, int uid, int gid) {
            return new Options(fsid, capacityBytes, maxFiles, mode, uid, gid);
        }
    }

    private static final long ROOT_ID = 1;
    private static final long MAX_FILE_SIZE = Long.MAX_VALUE;
    private static final int CLONE_BLOCK = 4096;

    private final Clock clock;
    private final Options options;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Long, Node> nodes = new HashMap<>(); // guarded by lock
    private long nextId = ROOT_ID; // guarded by lock (write)
    private long usedBytes; // guarded by lock (write)

    public MemoryFileSystem(Clock clock) {
        this(clock, Options.DEFAULTS);
    }

    public MemoryFileSystem(Clock clock, Options options) {
        this.clock = clock;
        this.options = options;
        Node root = new Node(nextId++, FileType.DIRECTORY, clock.instant(), null);
        root.parent = root.id;
        root.mode = options.rootMode() & 07777;
        root.uid = options.rootUid();
        root.gid = options.rootGid();
        nodes.put(root.id, root);
    }

    @Override
    public Inode root() {
        return handle(ROOT_ID);
    }

    @Override
    public long fsid() {
        return options.fsid();
    }

    @Override
    public Inode lookup(Inode dir, String name) throws VfsException {
        checkName(name);
        lock.readLock().lock();
        try {
            Node d = directory(dir);
            Node.Child c = d.byName.get(name);
            if (c == null) {
                throw new VfsException(VfsError.NOENT, name);
            }
            return handle(c.id());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Inode parent(Inode dir) throws VfsException {
        lock.readLock().lock();
        try {
            return handle(directory(dir).parent);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        lock.readLock().lock();
        try {
            return stat(node(inode));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Stat setattr(Inode inode, SetAttributes attrs) throws VfsException {
        lock.writeLock().lock();
        try {
            Node n = node(inode);
            apply(n, attrs, clock.instant());
            return stat(n);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Non-exclusive creation of an existing regular file applies only {@code attrs.size()} (so
     * size 0 truncates, as UNCHECKED4 asks); its other attributes stay as they are.
     */
    @Override
    public Inode createFile(Inode dir, String name, SetAttributes attrs, boolean exclusive) throws VfsException {
        checkName(name);
        lock.writeLock().lock();
        try {
            Node d = directory(dir);
            Node.Child existing = d.byName.get(name);
            if (existing != null) {
                Node e = nodes.get(existing.id());
                if (exclusive || e.type != FileType.REGULAR) {
                    throw new VfsException(e.type == FileType.DIRECTORY && !exclusive ? VfsError.ISDIR : VfsError.EXIST, name);
                }
                if (attrs.size() != null) {
                    apply(e, new SetAttributes(null, null, null, attrs.size(), null, null), clock.instant());
                }
                return handle(e.id);
            }
            return handle(create(d, name, FileType.REGULAR, 0644, attrs, null).id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Inode mkdir(Inode dir, String name, SetAttributes attrs) throws VfsException {
        checkName(name);
        lock.writeLock().lock();
        try {
            Node d = directory(dir);
            checkAbsent(d, name);
            Node n = create(d, name, FileType.DIRECTORY, 0755, attrs, null);
            n.parent = d.id;
            d.nlink++;
            return handle(n.id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Inode symlink(Inode dir, String name, String target, SetAttributes attrs) throws VfsException {
        checkName(name);
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.INVAL, "symlink target");
        }
        lock.writeLock().lock();
        try {
            Node d = directory(dir);
            checkAbsent(d, name);
            return handle(create(d, name, FileType.SYMLINK, 0777, attrs, target).id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Inode mknod(Inode dir, String name, FileType type, int major, int minor, SetAttributes attrs)
            throws VfsException {
        checkName(name);
        switch (type) {
            case BLOCK_DEVICE, CHAR_DEVICE, FIFO, SOCKET -> {}
            default -> throw new VfsException(VfsError.BADTYPE, "mknod of " + type);
        }
        lock.writeLock().lock();
        try {
            Node d = directory(dir);
            checkAbsent(d, name);
            Node n = create(d, name, type, 0644, attrs, null);
            if (type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE) {
                n.rdevMajor = major;
                n.rdevMinor = minor;
            }
            return handle(n.id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void link(Inode target, Inode dir, String name) throws VfsException {
        checkName(name);
        lock.writeLock().lock();
        try {
            Node t = node(target);
            Node d = directory(dir);
            if (t.type == FileType.DIRECTORY) {
                throw new VfsException(VfsError.ISDIR, "hard link to a directory");
            }
            checkAbsent(d, name);
            Instant now = clock.instant();
            d.addEntry(name, t.id);
            d.touchContent(now);
            t.nlink++;
            t.touchCtime(now);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void remove(Inode dir, String name) throws VfsException {
        checkName(name);
        lock.writeLock().lock();
        try {
            Node d = directory(dir);
            Node n = child(d, name);
            if (n.type == FileType.DIRECTORY && !n.byName.isEmpty()) {
                throw new VfsException(VfsError.NOTEMPTY, name);
            }
            Instant now = clock.instant();
            d.removeEntry(name);
            d.touchContent(now);
            unlinked(d, n, now);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void rename(Inode fromDir, String fromName, Inode toDir, String toName) throws VfsException {
        checkName(fromName);
        checkName(toName);
        lock.writeLock().lock();
        try {
            Node from = directory(fromDir);
            Node to = directory(toDir);
            Node moving = child(from, fromName);
            Node.Child replacedChild = to.byName.get(toName);
            Node replaced = replacedChild == null ? null : nodes.get(replacedChild.id());
            if (replaced == moving) {
                return; // two names of one object (or the same name): POSIX says do nothing
            }
            if (moving.type == FileType.DIRECTORY) {
                for (long p = to.id; ; p = nodes.get(p).parent) {
                    if (p == moving.id) {
                        throw new VfsException(VfsError.INVAL, "rename of a directory into itself");
                    }
                    if (p == ROOT_ID) {
                        break;
                    }
                }
            }
            if (replaced != null) {
                if (moving.type == FileType.DIRECTORY && replaced.type != FileType.DIRECTORY) {
                    throw new VfsException(VfsError.NOTDIR, toName);
                }
                if (moving.type != FileType.DIRECTORY && replaced.type == FileType.DIRECTORY) {
                    throw new VfsException(VfsError.ISDIR, toName);
                }
                if (replaced.type == FileType.DIRECTORY && !replaced.byName.isEmpty()) {
                    throw new VfsException(VfsError.NOTEMPTY, toName);
                }
            }
            Instant now = clock.instant();
            if (replaced != null) {
                to.removeEntry(toName);
                unlinked(to, replaced, now);
            }
            from.removeEntry(fromName);
            to.addEntry(toName, moving.id);
            from.touchContent(now);
            if (to != from) {
                to.touchContent(now);
            }
            moving.touchCtime(now);
            if (moving.type == FileType.DIRECTORY && to != from) {
                moving.parent = to.id;
                from.nlink--;
                to.nlink++;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String readlink(Inode symlink) throws VfsException {
        lock.readLock().lock();
        try {
            Node n = node(symlink);
            if (n.type != FileType.SYMLINK) {
                throw new VfsException(VfsError.INVAL, "not a symlink: " + n.type);
            }
            return n.target;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public DirList readdir(Inode dir, long cookie, int maxEntries) throws VfsException {
        if (maxEntries < 1) {
            throw new VfsException(VfsError.INVAL, "maxEntries " + maxEntries);
        }
        lock.readLock().lock();
        try {
            Node d = directory(dir);
            List<DirEntry> out = new ArrayList<>(Math.min(maxEntries, d.byCookie.size()));
            var tail = cookie == 0 ? d.byCookie : d.byCookie.tailMap(cookie, false);
            var it = tail.entrySet().iterator();
            while (it.hasNext() && out.size() < maxEntries) {
                var e = it.next();
                Node child = nodes.get(d.byName.get(e.getValue()).id());
                out.add(new DirEntry(e.getValue(), handle(child.id), e.getKey(), stat(child)));
            }
            return new DirList(List.copyOf(out), !it.hasNext());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public boolean read(Inode file, long offset, ByteBuffer dst) throws VfsException {
        checkOffset(offset);
        lock.readLock().lock();
        try {
            return regular(file).content.read(offset, dst);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void write(Inode file, long offset, ByteBuffer src, Stability stability) throws VfsException {
        checkOffset(offset);
        if (src.remaining() > MAX_FILE_SIZE - offset) {
            throw new VfsException(VfsError.FBIG, "write past the largest file size");
        }
        lock.writeLock().lock();
        try {
            Node n = regular(file);
            long needed = n.content.allocationFor(offset, src.remaining());
            reserve(needed);
            n.content.write(offset, src);
            n.touchContent(clock.instant());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void commit(Inode file) throws VfsException {
        lock.readLock().lock();
        try {
            regular(file);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Holes are the chunks never written (or punched), at chunk granularity. */
    @Override
    public SeekResult seek(Inode file, long offset, SeekWhat what) throws VfsException {
        lock.readLock().lock();
        try {
            SparseContent c = regular(file).content;
            if (offset < 0 || offset >= c.size()) {
                throw new VfsException(VfsError.NXIO, "seek at " + offset + ", size " + c.size());
            }
            long at = c.seek(offset, what == SeekWhat.DATA);
            if (at < 0) {
                throw new VfsException(VfsError.NXIO, "no data at or after " + offset);
            }
            return new SeekResult(at == c.size(), at);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Creates the missing chunks of the range, counted against the capacity (NOSPC when short). */
    @Override
    public void allocate(Inode file, long offset, long length) throws VfsException {
        checkRange(offset, length);
        lock.writeLock().lock();
        try {
            Node n = regular(file);
            if (length - 2L * SparseContent.CHUNK > options.capacityBytes()) {
                // more missing chunks than the capacity, whatever exists: fail before counting them
                throw new VfsException(VfsError.NOSPC, "allocate of " + length + " bytes, capacity "
                        + options.capacityBytes());
            }
            reserve(n.content.allocateBytes(offset, length));
            long before = n.content.size();
            n.content.allocate(offset, length);
            if (n.content.size() != before) {
                n.touchContent(clock.instant());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Zeroes the range and frees the chunks it covers whole. */
    @Override
    public void deallocate(Inode file, long offset, long length) throws VfsException {
        checkRange(offset, length);
        lock.writeLock().lock();
        try {
            Node n = regular(file);
            usedBytes -= n.content.deallocate(offset, length);
            n.touchContent(clock.instant());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * This backend has no shared extents: a clone copies the bytes (space counted as a write's),
     * but asks for the alignment a reflinking file system would, so clients see the same rules.
     */
    @Override
    public int cloneBlockSize() {
        return CLONE_BLOCK;
    }

    @Override
    public void clone(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        checkRange(srcOffset, length);
        checkRange(dstOffset, length);
        if (srcOffset % CLONE_BLOCK != 0 || dstOffset % CLONE_BLOCK != 0) {
            throw new VfsException(VfsError.INVAL, "clone offsets not aligned to " + CLONE_BLOCK);
        }
        lock.writeLock().lock();
        try {
            Node s = regular(src);
            Node d = regular(dst);
            long srcSize = s.content.size();
            if (srcOffset + length > srcSize) {
                throw new VfsException(VfsError.INVAL, "clone range past the source's end");
            }
            if (length % CLONE_BLOCK != 0 && srcOffset + length != srcSize) {
                throw new VfsException(VfsError.INVAL, "clone length not aligned to " + CLONE_BLOCK);
            }
            if (s == d && srcOffset < dstOffset + length && dstOffset < srcOffset + length) {
                throw new VfsException(VfsError.INVAL, "overlapping clone ranges in one file");
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new VfsException(VfsError.FBIG, "clone of " + length + " bytes in memory");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) length);
            s.content.read(srcOffset, bytes);
            bytes.flip();
            reserve(d.content.allocationFor(dstOffset, length));
            d.content.write(dstOffset, bytes);
            d.touchContent(clock.instant());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public FsStat fsStat() {
        lock.readLock().lock();
        try {
            long free = Math.max(0, options.capacityBytes() - usedBytes);
            long freeFiles = Math.max(0, options.maxFiles() - nodes.size());
            return new FsStat(options.capacityBytes(), free, free, options.maxFiles(), freeFiles, freeFiles);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long maxFileSize() {
        return MAX_FILE_SIZE;
    }

    @Override
    public int maxNameLength() {
        return NAME_MAX;
    }

    @Override
    public boolean xattrSupport() {
        return true;
    }

    @Override
    public byte[] getxattr(Inode inode, String name) throws VfsException {
        Xattrs.checkName(name);
        lock.readLock().lock();
        try {
            Node n = node(inode);
            byte[] v = n.xattrs == null ? null : n.xattrs.get(name);
            if (v == null) {
                throw new VfsException(VfsError.NOXATTR, "no extended attribute " + name);
            }
            return v.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void setxattr(Inode inode, String name, byte[] value, XattrMode mode) throws VfsException {
        Xattrs.checkName(name);
        Xattrs.checkValue(value);
        lock.writeLock().lock();
        try {
            Node n = node(inode);
            if (n.type != FileType.REGULAR && n.type != FileType.DIRECTORY) {
                throw new VfsException(VfsError.PERM, "user extended attributes on a " + n.type);
            }
            byte[] old = n.xattrs == null ? null : n.xattrs.get(name);
            if (old != null && mode == XattrMode.CREATE) {
                throw new VfsException(VfsError.EXIST, "extended attribute " + name + " exists");
            }
            if (old == null && mode == XattrMode.REPLACE) {
                throw new VfsException(VfsError.NOXATTR, "no extended attribute " + name);
            }
            if (old == null) {
                int listed = Xattrs.listBytes(name);
                if (n.xattrs != null) {
                    for (String other : n.xattrs.keySet()) {
                        listed += Xattrs.listBytes(other);
                    }
                }
                if (listed > Xattrs.LIST_MAX) {
                    throw new VfsException(VfsError.NOSPC, "the names of object " + n.id + " would not fit a list");
                }
            }
            long oldCost = old == null ? 0 : Node.xattrCost(name, old);
            long newCost = Node.xattrCost(name, value);
            if (newCost > oldCost) {
                reserve(newCost - oldCost);
            } else {
                usedBytes -= oldCost - newCost;
            }
            if (n.xattrs == null) {
                n.xattrs = new java.util.TreeMap<>();
            }
            n.xattrs.put(name, value.clone());
            n.touchCtime(clock.instant());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public java.util.List<String> listxattr(Inode inode) throws VfsException {
        lock.readLock().lock();
        try {
            Node n = node(inode);
            return n.xattrs == null ? java.util.List.of() : java.util.List.copyOf(n.xattrs.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void removexattr(Inode inode, String name) throws VfsException {
        Xattrs.checkName(name);
        lock.writeLock().lock();
        try {
            Node n = node(inode);
            byte[] old = n.xattrs == null ? null : n.xattrs.remove(name);
            if (old == null) {
                throw new VfsException(VfsError.NOXATTR, "no extended attribute " + name);
            }
            usedBytes -= Node.xattrCost(name, old);
            n.touchCtime(clock.instant());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Nothing to release: the contents live as long as this object. */
    @Override
    public void close() {}

    // ---- helpers; all but the static ones need the lock held as their callers say ----

    private static Inode handle(long id) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id >>> (56 - 8 * i));
        }
        return new Inode(b);
    }




    /** Read or write lock held. */
    private Node node(Inode inode) throws VfsException {
        byte[] b = inode.bytes();
        if (b.length != 8) {
            throw new VfsException(VfsError.STALE, "not a memory handle: " + inode);
        }
        long id = 0;
        for (byte x : b) {
            id = (id << 8) | (x & 0xff);
        }
        Node n = nodes.get(id);
        if (n == null) {
            throw new VfsException(VfsError.STALE, "no object " + id);
        }
        return n;
    }

    /** Read or write lock held. */
    private Node directory(Inode inode) throws VfsException {
        Node n = node(inode);
        if (n.type != FileType.DIRECTORY) {
            throw new VfsException(VfsError.NOTDIR, "object " + n.id + " is a " + n.type);
        }
        return n;
    }

    /** Read or write lock held. */
    private Node regular(Inode inode) throws VfsException {
        Node n = node(inode);
        if (n.type == FileType.DIRECTORY) {
            throw new VfsException(VfsError.ISDIR, "object " + n.id + " is a directory");
        }
        if (n.type != FileType.REGULAR) {
            throw new VfsException(VfsError.INVAL, "object " + n.id + " is a " + n.type);
        }
        return n;
    }

    /** Read or write lock held. */
    private Node child(Node dir, String name) throws VfsException {
        Node.Child c = dir.byName.get(name);
        if (c == null) {
            throw new VfsException(VfsError.NOENT, name);
        }
        return nodes.get(c.id());
    }

    /** Read or write lock held. */
    private static void checkAbsent(Node dir, String name) throws VfsException {
        if (dir.byName.containsKey(name)) {
            throw new VfsException(VfsError.EXIST, name);
        }
    }

    /** Write lock held. Fails with NOSPC unless {@code bytes} more fit; on success accounts them. */
    private void reserve(long bytes) throws VfsException {
        if (bytes > options.capacityBytes() - usedBytes) {
            throw new VfsException(VfsError.NOSPC, "needs " + bytes + " bytes, "
                    + (options.capacityBytes() - usedBytes) + " free");
        }
        usedBytes += bytes;
    }

    /** Write lock held. Creates and links a new object; the caller checked the name is free. */
    private Node create(Node dir, String name, FileType type, int defaultMode, SetAttributes attrs, String target)
            throws VfsException {
        if (nodes.size() >= options.maxFiles()) {
            throw new VfsException(VfsError.NOSPC, "no free objects");
        }
        Instant now = clock.instant();
        Node n = new Node(nextId++, type, now, target);
        n.mode = defaultMode;
        apply(n, attrs, now);
        nodes.put(n.id, n);
        dir.addEntry(name, n.id);
        dir.touchContent(now);
        return n;
    }

    /** Write lock held. Applies attribute changes, each a change of ctime and the change counter. */
    private void apply(Node n, SetAttributes a, Instant now) throws VfsException {
        if (a.size() != null) {
            if (n.type == FileType.DIRECTORY) {
                throw new VfsException(VfsError.ISDIR, "size of a directory");
            }
            if (n.type != FileType.REGULAR) {
                throw new VfsException(VfsError.INVAL, "size of a " + n.type);
            }
            long size = a.size();
            if (size < 0) {
                throw new VfsException(VfsError.INVAL, "size " + size);
            }
            long before = n.content.allocated();
            if (size > n.content.size()) {
                n.content.resize(size); // extension is a hole: no allocation
            } else {
                n.content.resize(size);
                usedBytes -= before - n.content.allocated();
            }
            n.mtime = now;
        }
        if (a.mode() != null) {
            n.mode = a.mode() & 07777;
        }
        if (a.uid() != null) {
            n.uid = a.uid();
        }
        if (a.gid() != null) {
            n.gid = a.gid();
        }
        if (a.atime() != null) {
            n.atime = a.atime().isServerNow() ? now : a.atime().instant();
        }
        if (a.mtime() != null) {
            n.mtime = a.mtime().isServerNow() ? now : a.mtime().instant();
        }
        if (!a.isEmpty()) {
            n.touchCtime(now);
        }
    }

    /** Write lock held. One name of {@code n} was removed from {@code dir}. */
    private void unlinked(Node dir, Node n, Instant now) {
        if (n.type == FileType.DIRECTORY) {
            dir.nlink--;
            n.nlink = 0;
        } else {
            n.nlink--;
            n.touchCtime(now);
        }
        if (n.nlink == 0) {
            nodes.remove(n.id);
            if (n.content != null) {
                usedBytes -= n.content.allocated();
            }
            usedBytes -= n.xattrBytes();
        }
    }

    /** Read or write lock held. */
    private static Stat stat(Node n) {
        long space = n.content != null ? n.content.allocated() : 0;
        return new Stat(n.type, n.id, n.mode, n.nlink, n.uid, n.gid, n.size(), space, n.atime, n.mtime, n.ctime,
                n.birthTime, n.change, n.rdevMajor, n.rdevMinor);
    }
}

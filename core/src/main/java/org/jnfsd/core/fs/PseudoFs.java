package org.jnfsd.core.fs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jnfsd.vfs.DirEntry;
import org.jnfsd.vfs.DirList;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.FsStat;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * The NFSv4 pseudo-filesystem (RFC 7530 §7, RFC 8881 §7): read-only directories for "/" and every
 * path component leading to an export, the export paths themselves included (each is covered by
 * its export: {@link ExportTable} crosses into the export there). Immutable; built from the
 * export paths alone, so its inodes (a digest of the path) and fileids are the same after a
 * restart with the same exports. Every change answers {@link VfsError#ROFS}. Who may see which
 * directory is not decided here: it is the same for every client, and {@link ExportTable} hides
 * what a client may not reach.
 */
final class PseudoFs implements VirtualFileSystem {
    /** The pseudo-filesystem's fsid: distinct from any backend's by being a fixed odd value. */
    static final long FSID = 0x6a6e_6673_7073_6575L; // "jnfspseu"
    private static final Instant EPOCH = Instant.EPOCH;

    /** One pseudo directory: its path, inode, fileid, parent path and children by name. */
    record Node(String path, Inode inode, long fileId, String parent, TreeMap<String, String> children) { }

    private final Map<String, Node> byPath;
    private final Map<Inode, Node> byInode;
    private final long change;

    PseudoFs(Collection<String> exportPaths) {
        Map<String, TreeMap<String, String>> children = new HashMap<>();
        children.put("/", new TreeMap<>());
        for (String p : exportPaths) {
            String path = p;
            while (!path.equals("/")) {
                String parent = parentOf(path);
                children.computeIfAbsent(path, k -> new TreeMap<>());
                children.computeIfAbsent(parent, k -> new TreeMap<>()).put(path.substring(path.lastIndexOf('/') + 1),
                        path);
                path = parent;
            }
        }
        Map<String, Node> paths = new HashMap<>();
        Map<Inode, Node> inodes = new HashMap<>();
        for (var e : children.entrySet()) {
            byte[] digest = digest(e.getKey());
            Inode inode = new Inode(java.util.Arrays.copyOf(digest, 12));
            long fileId = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
            Node n = new Node(e.getKey(), inode, fileId == 0 ? 1 : fileId,
                    e.getKey().equals("/") ? "/" : parentOf(e.getKey()), e.getValue());
            paths.put(n.path(), n);
            if (inodes.put(inode, n) != null) {
                throw new IllegalArgumentException("pseudo-filesystem paths with the same digest: " + n.path());
            }
        }
        this.byPath = Map.copyOf(paths);
        this.byInode = Map.copyOf(inodes);
        this.change = ByteBuffer.wrap(digest(String.join("\n", new java.util.TreeSet<>(byPath.keySet())))).getLong();
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static byte[] digest(String path) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The node for {@code path} (a pseudo directory or an export path), or null. */
    Node node(String path) {
        return byPath.get(path);
    }

    /** The node for a pseudo inode, or null. */
    Node node(Inode inode) {
        return byInode.get(inode);
    }

    private Node require(Inode inode) throws VfsException {
        Node n = byInode.get(inode);
        if (n == null) {
            throw new VfsException(VfsError.STALE, "no pseudo-filesystem directory " + inode);
        }
        return n;
    }

    private static VfsException readOnly() {
        return new VfsException(VfsError.ROFS, "the NFSv4 pseudo-filesystem is read-only");
    }

    @Override
    public Inode root() {
        return byPath.get("/").inode();
    }

    @Override
    public long fsid() {
        return FSID;
    }

    @Override
    public Inode lookup(Inode dir, String name) throws VfsException {
        Node d = require(dir);
        String child = d.children().get(name);
        if (child == null) {
            throw new VfsException(VfsError.NOENT, "no " + name + " in " + d.path());
        }
        return byPath.get(child).inode();
    }

    @Override
    public Inode parent(Inode dir) throws VfsException {
        return byPath.get(require(dir).parent()).inode();
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        return stat(require(inode));
    }

    Stat stat(Node n) {
        return new Stat(FileType.DIRECTORY, n.fileId(), 0555, 2 + n.children().size(), 0, 0, 4096, 4096, EPOCH,
                EPOCH, EPOCH, EPOCH, change, 0, 0);
    }

    @Override
    public DirList readdir(Inode dir, long cookie, int maxEntries) throws VfsException {
        Node d = require(dir);
        List<DirEntry> out = new ArrayList<>();
        long position = 3;
        for (var e : d.children().entrySet()) {
            if (position > cookie && out.size() < maxEntries) {
                Node child = byPath.get(e.getValue());
                out.add(new DirEntry(e.getKey(), child.inode(), position, stat(child)));
            }
            position++;
        }
        boolean eof = out.isEmpty() || out.getLast().cookie() == position - 1;
        return new DirList(out, eof);
    }

    @Override
    public Stat setattr(Inode inode, SetAttributes attrs) throws VfsException {
        require(inode);
        throw readOnly();
    }

    @Override
    public Inode createFile(Inode dir, String name, SetAttributes attrs, boolean exclusive) throws VfsException {
        throw readOnly();
    }

    @Override
    public Inode mkdir(Inode dir, String name, SetAttributes attrs) throws VfsException {
        throw readOnly();
    }

    @Override
    public Inode symlink(Inode dir, String name, String target, SetAttributes attrs) throws VfsException {
        throw readOnly();
    }

    @Override
    public Inode mknod(Inode dir, String name, FileType type, int major, int minor, SetAttributes attrs)
            throws VfsException {
        throw readOnly();
    }

    @Override
    public void link(Inode target, Inode dir, String name) throws VfsException {
        throw readOnly();
    }

    @Override
    public void remove(Inode dir, String name) throws VfsException {
        throw readOnly();
    }

    @Override
    public void rename(Inode fromDir, String fromName, Inode toDir, String toName) throws VfsException {
        throw readOnly();
    }

    @Override
    public String readlink(Inode symlink) throws VfsException {
        require(symlink);
        throw new VfsException(VfsError.INVAL, "a pseudo-filesystem directory is not a symlink");
    }

    @Override
    public boolean read(Inode file, long offset, ByteBuffer dst) throws VfsException {
        require(file);
        throw new VfsException(VfsError.ISDIR, "a pseudo-filesystem directory has no data");
    }

    @Override
    public void write(Inode file, long offset, ByteBuffer src, Stability stability) throws VfsException {
        throw readOnly();
    }

    @Override
    public void commit(Inode file) throws VfsException {
        throw readOnly();
    }

    @Override
    public FsStat fsStat() {
        return new FsStat(0, 0, 0, byPath.size(), 0, 0);
    }

    @Override
    public long maxFileSize() {
        return 0;
    }

    @Override
    public int maxNameLength() {
        return 255;
    }

    @Override
    public void close() {
    }
}

package org.jnfsd.core.fs;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * The exports, immutable, and which client may use which.
 *
 * <p>The root a client mounts (PUTROOTFH): an export at "/" when there is one (then the other
 * exports, if any, are reached by their handles only, as embedders and tests have always done);
 * otherwise the NFSv4 pseudo-filesystem built from the export paths (RFC 8881 §7, {@link PseudoFs}),
 * export id 0. There a client sees only the directories leading to an export it may use
 * ({@link #visible}); LOOKUP crosses into an export at its path ({@link #exportAt}) and LOOKUPP
 * comes back out ({@link #pseudoParent}).
 */
public final class ExportTable {
    private static final int CACHE_LIMIT = 4096;

    private final List<Export> exports;
    private final Map<Integer, Export> byId;
    private final HostResolver resolver;
    /** The pseudo-root, or null when an export is at "/". */
    private final Export pseudo;
    private final Map<String, Export> byPath;
    /** Decisions per (export id, client address); cleared when it grows past {@link #CACHE_LIMIT}. */
    private final Map<Key, Optional<ClientRule>> decisions = new ConcurrentHashMap<>();

    private record Key(InetAddress client, int exportId) { }

    public ExportTable(List<Export> exports) {
        this(exports, HostResolver.SYSTEM);
    }

    public ExportTable(List<Export> exports, HostResolver resolver) {
        if (exports.isEmpty()) {
            throw new IllegalArgumentException("no exports");
        }
        this.exports = List.copyOf(exports);
        this.resolver = resolver;
        Map<Integer, Export> ids = new HashMap<>();
        for (Export e : exports) {
            Export dup = ids.putIfAbsent(e.id(), e);
            if (dup != null) {
                throw new IllegalArgumentException("exports " + dup.path() + " and " + e.path() + " share id " + e.id());
            }
        }
        this.byId = Map.copyOf(ids);
        Map<String, Export> paths = new HashMap<>();
        for (Export e : exports) {
            paths.putIfAbsent(e.path(), e);
        }
        this.byPath = Map.copyOf(paths);
        if (paths.containsKey("/")) {
            this.pseudo = null;
        } else {
            for (Export e : exports) {
                for (Export f : exports) {
                    if (e != f && (e.path().equals(f.path()) || f.path().startsWith(e.path() + "/"))) {
                        throw new IllegalArgumentException("export " + f.path() + " is inside export " + e.path()
                                + "; the pseudo-root needs exports side by side");
                    }
                }
            }
            this.pseudo = Export.pseudoRoot(new PseudoFs(paths.keySet()));
        }
    }

    /**
     * The exports an exports file declares, each served by {@code fsFor(path)}. An export's id is its
     * {@code fsid=}, or else derived from its path, so handles stay valid across restarts with the
     * same file.
     */
    public static ExportTable of(List<ExportLine> lines, Function<String, VirtualFileSystem> fsFor,
            HostResolver resolver, String source) throws ExportsSyntaxException {
        if (lines.isEmpty()) {
            throw new ExportsSyntaxException(source, 1, 1, "no exports");
        }
        List<Export> out = new ArrayList<>();
        Map<Integer, ExportLine> ids = new HashMap<>();
        for (ExportLine l : lines) {
            int id = ExportsFile.fsidOf(l.rules()).orElseGet(() -> idOf(l.path()));
            ExportLine dup = ids.putIfAbsent(id, l);
            if (dup != null) {
                throw new ExportsSyntaxException(source, l.line(), 1, "export " + l.path() + " has the same id " + id
                        + " as " + dup.path() + " (line " + dup.line() + "); give one of them another fsid=");
            }
            out.add(new Export(id, l.path(), fsFor.apply(l.path()), l.rules(), true));
        }
        return new ExportTable(out, resolver);
    }

    /** The id of an export without fsid=: a hash of its path, in 1..2^31-1. */
    static int idOf(String path) {
        CRC32 crc = new CRC32();
        crc.update(path.getBytes(StandardCharsets.UTF_8));
        int id = (int) (crc.getValue() & 0x7fffffff);
        return id == 0 ? 1 : id;
    }

    /** The export PUTROOTFH names: the one at "/", or else the pseudo-root (id 0). */
    public Export root() {
        return pseudo != null ? pseudo : byPath.get("/");
    }

    /** Whether the exports sit under the NFSv4 pseudo-root (no export is at "/"). */
    public boolean hasPseudoRoot() {
        return pseudo != null;
    }

    /** The exports as declared (the pseudo-root is not one of them). */
    public List<Export> all() {
        return exports;
    }

    public HostResolver resolver() {
        return resolver;
    }

    /** The exports as exports file lines, for printing. */
    public List<ExportLine> lines() {
        return exports.stream().map(Export::toLine).toList();
    }

    /** The export a handle names; an unknown export id is NFS4ERR_STALE (it may have been removed). */
    public Export get(int id) throws NfsException {
        Export e = id == 0 && pseudo != null ? pseudo : byId.get(id);
        if (e == null) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE, "no export with id " + id);
        }
        return e;
    }

    /** The rule by which {@code client} may use {@code export}; empty when it may not. */
    public Optional<ClientRule> ruleFor(Export export, InetAddress client) {
        if (decisions.size() > CACHE_LIMIT) {
            decisions.clear();
        }
        return decisions.computeIfAbsent(new Key(client, export.id()), k -> export.ruleFor(client, resolver));
    }

    /** The pseudo-filesystem path of a pseudo-root inode, or null when it names none. */
    private String pseudoPath(org.jnfsd.vfs.Inode inode) {
        PseudoFs.Node n = pseudo == null ? null : ((PseudoFs) pseudo.fs()).node(inode);
        return n == null ? null : n.path();
    }

    /** The export whose path a pseudo-root inode is (LOOKUP crosses into it there), if any. */
    public Optional<Export> exportAt(org.jnfsd.vfs.Inode pseudoInode) {
        String path = pseudoPath(pseudoInode);
        return path == null ? Optional.empty() : Optional.ofNullable(byPath.get(path));
    }

    /**
     * Whether {@code client} may see the pseudo directory {@code pseudoInode}: it leads to (or is)
     * an export some rule lets the client use. The pseudo-root itself is visible when any export is.
     */
    public boolean visible(org.jnfsd.vfs.Inode pseudoInode, InetAddress client) {
        String path = pseudoPath(pseudoInode);
        if (path == null) {
            return false;
        }
        String prefix = path.equals("/") ? "/" : path + "/";
        for (Export e : exports) {
            if ((e.path().equals(path) || e.path().startsWith(prefix)) && ruleFor(e, client).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** The pseudo directory an export's root sits in (LOOKUPP from the export's root); empty at "/". */
    public Optional<FileHandle> pseudoParent(Export export) {
        if (pseudo == null || export.isPseudo()) {
            return Optional.empty();
        }
        PseudoFs.Node n = ((PseudoFs) pseudo.fs()).node(PseudoFs.parentOf(export.path()));
        return Optional.of(new FileHandle(0, n.inode()));
    }

    /**
     * The mounted_on_fileid of an export's root: the fileid of the pseudo directory it covers
     * (RFC 8881 §5.8.2.23); empty when there is no pseudo-root.
     */
    public java.util.OptionalLong mountedOnFileId(Export export) {
        if (pseudo == null || export.isPseudo()) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(((PseudoFs) pseudo.fs()).node(export.path()).fileId());
    }
}

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
 * The exports, immutable, and which client may use which. For now the first export is served as
 * the NFSv4 pseudo-root "/".
 */
public final class ExportTable {
    private static final int CACHE_LIMIT = 4096;

    private final List<Export> exports;
    private final Map<Integer, Export> byId;
    private final HostResolver resolver;
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

    public Export root() {
        return exports.getFirst();
    }

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
        Export e = byId.get(id);
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
}

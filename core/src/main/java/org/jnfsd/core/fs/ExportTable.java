package org.jnfsd.core.fs;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * The exports, immutable. For now the first export is served as the NFSv4 pseudo-root "/".
 */
public final class ExportTable {
    private final List<Export> exports;
    private final Map<Integer, Export> byId;

    public ExportTable(List<Export> exports) {
        if (exports.isEmpty()) {
            throw new IllegalArgumentException("no exports");
        }
        this.exports = List.copyOf(exports);
        this.byId = exports.stream().collect(Collectors.toUnmodifiableMap(Export::id, Function.identity()));
    }

    public Export root() {
        return exports.getFirst();
    }

    public List<Export> all() {
        return exports;
    }

    /** The export a handle names; an unknown export id is NFS4ERR_STALE (it may have been removed). */
    public Export get(int id) throws NfsException {
        Export e = byId.get(id);
        if (e == null) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE, "no export with id " + id);
        }
        return e;
    }
}

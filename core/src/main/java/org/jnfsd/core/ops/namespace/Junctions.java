package org.jnfsd.core.ops.namespace;

import java.util.Optional;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.Inode;

/**
 * Stepping through the NFSv4 pseudo-root (RFC 8881 §7): an entry of a pseudo directory is hidden
 * from a client that may use no export at or under it (NFS4ERR_NOENT, as knfsd answers), and the
 * entry at an export's path is that export's root, a different fsid (LOOKUP, SECINFO, READDIR).
 */
final class Junctions {
    private Junctions() {
    }

    /** Whether {@code entry} of the pseudo directory {@code dir} is hidden from this client. */
    static boolean hidden(CompoundContext ctx, FileHandle dir, Inode entry) throws NfsException {
        return ctx.server().exports().get(dir.exportId()).isPseudo()
                && !ctx.server().exports().visible(entry, ctx.clientAddress().getAddress());
    }

    /** The export whose root is {@code entry} of {@code dir}, when {@code dir} is a pseudo directory. */
    static Optional<Export> crossing(CompoundContext ctx, FileHandle dir, Inode entry) throws NfsException {
        ExportTable table = ctx.server().exports();
        return ctx.server().exports().get(dir.exportId()).isPseudo() ? table.exportAt(entry) : Optional.empty();
    }

    /**
     * The handle a client reaches through {@code entry} of {@code dir}: NFS4ERR_NOENT when hidden
     * from it; the export's root (after the client's access to it is checked) at an export's path;
     * else the entry itself.
     */
    static FileHandle step(CompoundContext ctx, FileHandle dir, Inode entry, String name) throws NfsException {
        if (hidden(ctx, dir, entry)) {
            throw new NfsException(NfsStatus.NFS4ERR_NOENT, "no " + name + " in the pseudo-root for "
                    + ctx.clientAddress().getAddress().getHostAddress());
        }
        Optional<Export> into = crossing(ctx, dir, entry);
        if (into.isPresent()) {
            ctx.accessTo(into.get());
            return PutRootFh.rootOf(into.get());
        }
        return new FileHandle(dir.exportId(), entry);
    }
}

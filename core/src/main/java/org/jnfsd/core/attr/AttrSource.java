package org.jnfsd.core.attr;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.vfs.FsStat;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;

/**
 * What attribute values are computed from: one object's {@link Stat} and handle, its export and
 * the server's settings. The file system's space and file counts are fetched from the backend only
 * if an attribute needs them, at most once. Confined to one request's thread.
 */
public final class AttrSource {
    private final Stat stat;
    private final FileHandle fh;
    private final Export export;
    private final ServerConfig config;
    private final int minorVersion;
    private final long mountedOnFileId;
    private FsStat fsStat; // fetched on first use; only touched by the owning request thread

    public AttrSource(Stat stat, FileHandle fh, Export export, ServerConfig config, int minorVersion) {
        this(stat, fh, export, config, minorVersion, java.util.OptionalLong.empty());
    }

    /**
     * As the other constructor, for an object that may be an export's root under the pseudo-root:
     * {@code mountedOn} is then the fileid of the pseudo directory it covers (mounted_on_fileid).
     */
    public AttrSource(Stat stat, FileHandle fh, Export export, ServerConfig config, int minorVersion,
            java.util.OptionalLong mountedOn) {
        this.mountedOnFileId = mountedOn.orElse(stat.fileId());
        this.stat = stat;
        this.fh = fh;
        this.export = export;
        this.config = config;
        this.minorVersion = minorVersion;
    }

    public Stat stat() {
        return stat;
    }

    public FileHandle fh() {
        return fh;
    }

    public Export export() {
        return export;
    }

    /** mounted_on_fileid: the covered pseudo directory's fileid at an export's root, else the fileid. */
    public long mountedOnFileId() {
        return mountedOnFileId;
    }

    public ServerConfig config() {
        return config;
    }

    public int minorVersion() {
        return minorVersion;
    }

    FsStat fsStat() throws NfsException {
        if (fsStat == null) {
            try {
                fsStat = export.fs().fsStat();
            } catch (VfsException e) {
                throw NfsException.of(e);
            }
        }
        return fsStat;
    }
}

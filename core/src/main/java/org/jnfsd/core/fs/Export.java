package org.jnfsd.core.fs;

import org.jnfsd.vfs.VirtualFileSystem;

/**
 * One exported file system.
 *
 * @param id stable across restarts (it is part of every file handle)
 * @param rootSquash map uid 0 to the anonymous uid
 * @param delegations whether OPEN may grant delegations on this export (on unless switched off:
 *     {@code jnfsd serve --no-delegations}); off, OPEN answers OPEN_DELEGATE_NONE, or NONE_EXT with
 *     WND4_RESOURCE to a client that wanted one
 */
public record Export(int id, String path, VirtualFileSystem fs, boolean readOnly, boolean rootSquash,
        int anonUid, int anonGid, boolean delegations) {

    public static final int NOBODY = 65534;

    /** An export with delegations on. */
    public Export(int id, String path, VirtualFileSystem fs, boolean readOnly, boolean rootSquash, int anonUid,
            int anonGid) {
        this(id, path, fs, readOnly, rootSquash, anonUid, anonGid, true);
    }

    /** A read-write export without root squash, delegations on. */
    public Export(int id, String path, VirtualFileSystem fs) {
        this(id, path, fs, false, false, NOBODY, NOBODY);
    }

    /** This export with delegations switched on or off. */
    public Export withDelegations(boolean on) {
        return new Export(id, path, fs, readOnly, rootSquash, anonUid, anonGid, on);
    }
}

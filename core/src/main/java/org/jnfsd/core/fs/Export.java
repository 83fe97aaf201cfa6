package org.jnfsd.core.fs;

import org.jnfsd.vfs.VirtualFileSystem;

/**
 * One exported file system.
 *
 * @param id stable across restarts (it is part of every file handle)
 * @param rootSquash map uid 0 to the anonymous uid
 */
public record Export(int id, String path, VirtualFileSystem fs, boolean readOnly, boolean rootSquash,
        int anonUid, int anonGid) {

    public static final int NOBODY = 65534;

    public Export(int id, String path, VirtualFileSystem fs) {
        this(id, path, fs, false, false, NOBODY, NOBODY);
    }
}

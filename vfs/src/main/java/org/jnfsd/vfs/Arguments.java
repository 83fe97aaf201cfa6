package org.jnfsd.vfs;

import java.nio.charset.StandardCharsets;

/**
 * The argument checks every backend applies before touching storage, so that both backends
 * refuse the same inputs with the same errors. Core checks names first (NFS statuses); these are
 * the backend's own guard.
 */
public final class Arguments {
    /** The longest name, in UTF-8 bytes, that the backends accept. */
    public static final int NAME_MAX = 255;

    private Arguments() {}

    /** A single path component: not empty, ".", "..", nor containing '/' or NUL; at most NAME_MAX bytes. */
    public static void checkName(String name) throws VfsException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.INVAL, "bad name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new VfsException(VfsError.NAMETOOLONG, name.substring(0, 32) + "...");
        }
    }

    /** A byte range: offset and length non-negative, and their sum not overflowing. */
    public static void checkRange(long offset, long length) throws VfsException {
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new VfsException(VfsError.INVAL, "range " + offset + "+" + length);
        }
    }

    public static void checkOffset(long offset) throws VfsException {
        if (offset < 0) {
            throw new VfsException(VfsError.INVAL, "offset " + offset);
        }
    }
}

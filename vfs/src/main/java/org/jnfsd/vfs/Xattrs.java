package org.jnfsd.vfs;

import java.nio.charset.StandardCharsets;

/**
 * The limits of extended attributes in the {@code user.} namespace, as Linux has them
 * ({@code linux/limits.h}), which every backend applies alike. Names here never carry the
 * {@code user.} prefix: NFSv4.2 (RFC 8276 §5) names an attribute without it, and a backend that
 * stores attributes in a namespaced file system adds it.
 */
public final class Xattrs {
    /** The namespace a name lives in on a Linux file system. */
    public static final String USER_PREFIX = "user.";
    /** XATTR_NAME_MAX (255) less the prefix: the longest name, in UTF-8 bytes. */
    public static final int NAME_MAX = 255 - USER_PREFIX.length();
    /** XATTR_SIZE_MAX: the largest value. */
    public static final int SIZE_MAX = 65536;
    /** XATTR_LIST_MAX: the most bytes listxattr(2) returns, each name with its prefix and a NUL. */
    public static final int LIST_MAX = 65536;

    private Xattrs() {}

    /** Not empty, no NUL, at most {@link #NAME_MAX} bytes of UTF-8. */
    public static void checkName(String name) throws VfsException {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new VfsException(VfsError.INVAL, "bad extended attribute name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new VfsException(VfsError.NAMETOOLONG, "extended attribute name " + name.substring(0, 32) + "...");
        }
    }

    /** At most {@link #SIZE_MAX} bytes. */
    public static void checkValue(byte[] value) throws VfsException {
        if (value.length > SIZE_MAX) {
            throw new VfsException(VfsError.XATTR2BIG, "extended attribute value of " + value.length + " bytes");
        }
    }

    /** What one name costs in a listxattr(2) buffer: prefix, name and NUL. */
    public static int listBytes(String name) {
        return USER_PREFIX.length() + name.getBytes(StandardCharsets.UTF_8).length + 1;
    }
}

package org.jnfsd.vfs;

/** How {@link VirtualFileSystem#setxattr} treats an existing (or missing) attribute, as setxattr(2)'s flags. */
public enum XattrMode {
    /** Create it or replace it (flags 0). */
    EITHER,
    /** Only create: an existing attribute is {@link VfsError#EXIST} (XATTR_CREATE). */
    CREATE,
    /** Only replace: a missing attribute is {@link VfsError#NOXATTR} (XATTR_REPLACE). */
    REPLACE
}

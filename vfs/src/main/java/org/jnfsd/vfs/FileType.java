package org.jnfsd.vfs;

/** The kinds of file object; the same set as NFSv4's nfs_ftype4 without attribute dirs. */
public enum FileType {
    REGULAR,
    DIRECTORY,
    SYMLINK,
    BLOCK_DEVICE,
    CHAR_DEVICE,
    FIFO,
    SOCKET
}

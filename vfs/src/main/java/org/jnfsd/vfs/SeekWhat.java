package org.jnfsd.vfs;

/** What {@link VirtualFileSystem#seek} looks for (NFSv4.2 data_content4, lseek SEEK_DATA/SEEK_HOLE). */
public enum SeekWhat {
    DATA,
    HOLE
}

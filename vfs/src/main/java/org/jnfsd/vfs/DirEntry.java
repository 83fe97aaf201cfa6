package org.jnfsd.vfs;

/**
 * One directory entry. {@code cookie} is the position to resume after this entry: never 0, 1 or 2
 * (reserved by NFSv4), and stable while the entry exists so that a listing resumed with it
 * neither repeats nor skips entries that did not change.
 */
public record DirEntry(String name, Inode inode, long cookie, Stat stat) {}

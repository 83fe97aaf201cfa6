package org.jnfsd.vfs;

/**
 * Where a {@link VirtualFileSystem#seek} found what it looked for.
 *
 * @param eof true when {@code offset} is the end of file (the hole every file has at its end)
 */
public record SeekResult(boolean eof, long offset) {}

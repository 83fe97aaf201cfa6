package org.jnfsd.vfs;

import java.util.List;

/** A run of directory entries after a cookie; {@code eof} when the directory has no more. */
public record DirList(List<DirEntry> entries, boolean eof) {}

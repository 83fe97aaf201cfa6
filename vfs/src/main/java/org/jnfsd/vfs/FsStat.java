package org.jnfsd.vfs;

/** Space and file counts of a backend, in bytes and objects. */
public record FsStat(long totalBytes, long freeBytes, long availBytes, long totalFiles, long freeFiles, long availFiles) {}

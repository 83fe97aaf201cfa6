package org.jnfsd.vfs;

/**
 * What {@link VirtualFileSystem#lookupWithDir} found: the directory's attributes, read in the same
 * resolution of its handle as the search, and the entry.
 *
 * @param dir the attributes of the object searched; when it is not a directory, nothing was searched
 * @param entry the named entry's handle, or null when the name does not exist (or {@code dir} is
 *     not a directory)
 * @param entryAttrs the entry's attributes when the backend read them while searching, else null
 */
public record LookupResult(Stat dir, Inode entry, Stat entryAttrs) {}

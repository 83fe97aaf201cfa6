package org.jnfsd.vfs;

import java.time.Instant;

/**
 * A snapshot of one file object's attributes.
 *
 * @param fileId a number unique within the backend for the object's life (the inode number)
 * @param mode permission bits only (07777), never the type
 * @param change a value that increases whenever data or attributes change (the NFSv4 change attribute)
 * @param rdevMajor device major number, 0 for non-devices
 */
public record Stat(
        FileType type,
        long fileId,
        int mode,
        int nlink,
        int uid,
        int gid,
        long size,
        long spaceUsed,
        Instant atime,
        Instant mtime,
        Instant ctime,
        Instant birthTime,
        long change,
        int rdevMajor,
        int rdevMinor) {}

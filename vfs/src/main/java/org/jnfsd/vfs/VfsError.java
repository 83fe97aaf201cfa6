package org.jnfsd.vfs;

/** Why a backend call failed; core maps each to one NFS status. */
public enum VfsError {
    NOENT,
    EXIST,
    NOTDIR,
    ISDIR,
    NOTEMPTY,
    STALE,
    PERM,
    ACCESS,
    NAMETOOLONG,
    INVAL,
    NOSPC,
    DQUOT,
    ROFS,
    XDEV,
    MLINK,
    FBIG,
    NOTSUPP,
    BADTYPE,
    /** SEEK at or past end of file, or no data after the offset. */
    NXIO,
    /** No extended attribute of that name (ENODATA). */
    NOXATTR,
    /** An extended attribute value too large to store or to return (E2BIG, ERANGE). */
    XATTR2BIG,
    /** Out of file descriptors even after closing every idle cached channel (EMFILE, ENFILE): try again later. */
    DELAY,
    IO
}

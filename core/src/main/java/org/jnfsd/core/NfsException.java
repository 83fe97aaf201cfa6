package org.jnfsd.core;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;

/**
 * An operation failed with {@link #status()}. The one exception type operations throw; the
 * COMPOUND engine turns it into the operation's result and a log line at a level chosen by
 * {@link #isServerFault()}. Always keeps its cause.
 */
public final class NfsException extends Exception {
    private final NfsStatus status;

    public NfsException(NfsStatus status, String message) {
        super(message);
        this.status = status;
    }

    public NfsException(NfsStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public NfsStatus status() {
        return status;
    }

    /** A failure of the server rather than a mistake of the client: logged at error with its stack. */
    public boolean isServerFault() {
        return status == NfsStatus.NFS4ERR_SERVERFAULT || status == NfsStatus.NFS4ERR_IO;
    }

    public static NfsException of(XdrException e) {
        return new NfsException(e.status(), e.getMessage(), e);
    }

    /** The one mapping from backend errors to NFS status codes. */
    public static NfsException of(VfsException e) {
        return new NfsException(statusOf(e.error()), e.getMessage(), e);
    }

    public static NfsStatus statusOf(VfsError error) {
        return switch (error) {
            case NOENT -> NfsStatus.NFS4ERR_NOENT;
            case EXIST -> NfsStatus.NFS4ERR_EXIST;
            case NOTDIR -> NfsStatus.NFS4ERR_NOTDIR;
            case ISDIR -> NfsStatus.NFS4ERR_ISDIR;
            case NOTEMPTY -> NfsStatus.NFS4ERR_NOTEMPTY;
            case STALE -> NfsStatus.NFS4ERR_STALE;
            case PERM -> NfsStatus.NFS4ERR_PERM;
            case ACCESS -> NfsStatus.NFS4ERR_ACCESS;
            case NAMETOOLONG -> NfsStatus.NFS4ERR_NAMETOOLONG;
            case INVAL -> NfsStatus.NFS4ERR_INVAL;
            case NOSPC -> NfsStatus.NFS4ERR_NOSPC;
            case DQUOT -> NfsStatus.NFS4ERR_DQUOT;
            case ROFS -> NfsStatus.NFS4ERR_ROFS;
            case XDEV -> NfsStatus.NFS4ERR_XDEV;
            case MLINK -> NfsStatus.NFS4ERR_MLINK;
            case FBIG -> NfsStatus.NFS4ERR_FBIG;
            case NOTSUPP -> NfsStatus.NFS4ERR_NOTSUPP;
            case BADTYPE -> NfsStatus.NFS4ERR_BADTYPE;
            case NXIO -> NfsStatus.NFS4ERR_NXIO;
            case NOXATTR -> NfsStatus.NFS4ERR_NOXATTR;
            case XATTR2BIG -> NfsStatus.NFS4ERR_XATTR2BIG;
            case DELAY -> NfsStatus.NFS4ERR_DELAY;
            case IO -> NfsStatus.NFS4ERR_IO;
        };
    }
}

package org.jnfsd.protocol.nfs4.lock;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrException;

/** nfs_lock_type4. The W variants ask the server to queue the owner when the lock is denied. */
public enum LockType {
    READ_LT(1, false, false),
    WRITE_LT(2, true, false),
    READW_LT(3, false, true),
    WRITEW_LT(4, true, true);

    private final int code;
    private final boolean write;
    private final boolean blocking;

    LockType(int code, boolean write, boolean blocking) {
        this.code = code;
        this.write = write;
        this.blocking = blocking;
    }

    public int code() {
        return code;
    }

    /** WRITE_LT or WRITEW_LT: exclusive against other owners. */
    public boolean isWrite() {
        return write;
    }

    /** READW_LT or WRITEW_LT. */
    public boolean isBlocking() {
        return blocking;
    }

    /** An unknown value is NFS4ERR_BADXDR, as knfsd decodes it. */
    public static LockType fromCode(int code) {
        for (LockType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new XdrException(NfsStatus.NFS4ERR_BADXDR, "lock type " + code);
    }
}

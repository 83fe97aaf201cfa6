package org.jnfsd.protocol.nfs4.xattr;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrException;

/** setxattr_option4 (RFC 8276 §8.4.2). */
public enum SetxattrOption {
    EITHER(0),
    CREATE(1),
    REPLACE(2);

    private final int code;

    SetxattrOption(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Another value is NFS4ERR_INVAL (knfsd's answer), not BADXDR. */
    public static SetxattrOption fromCode(int code) {
        for (SetxattrOption o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new XdrException(NfsStatus.NFS4ERR_INVAL, "setxattr_option4 " + code);
    }
}

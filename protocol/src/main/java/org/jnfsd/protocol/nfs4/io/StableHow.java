package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.xdr.XdrException;

/** stable_how4: how durable a WRITE must be before it answers. */
public enum StableHow {
    UNSTABLE4,
    DATA_SYNC4,
    FILE_SYNC4;

    public int code() {
        return ordinal();
    }

    public static StableHow fromCode(int code) {
        return switch (code) {
            case 0 -> UNSTABLE4;
            case 1 -> DATA_SYNC4;
            case 2 -> FILE_SYNC4;
            default -> throw new XdrException("stable_how4 " + code);
        };
    }
}

package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.xdr.XdrException;

/** data_content4. */
public enum DataContent {
    DATA,
    HOLE;

    public int code() {
        return ordinal();
    }

    public static DataContent fromCode(int code) {
        return switch (code) {
            case 0 -> DATA;
            case 1 -> HOLE;
            default -> throw new XdrException("data_content4 " + code);
        };
    }
}

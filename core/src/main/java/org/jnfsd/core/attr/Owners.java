package org.jnfsd.core.attr;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * owner and owner_group strings. jnfsd has no id mapper: it writes ids as decimal strings ("1000"),
 * as knfsd and NFS-Ganesha do for AUTH_SYS clients, and reads decimal strings of an unsigned 32-bit
 * id, plus the two names every system agrees on, "root" (0) and "nobody" (65534). Anything else,
 * including "user@domain", is NFS4ERR_BADOWNER.
 */
public final class Owners {
    private Owners() {}

    public static String format(int id) {
        return Integer.toUnsignedString(id);
    }

    public static int parse(String s) throws NfsException {
        switch (s) {
            case "root":
                return 0;
            case "nobody":
                return Export.NOBODY;
            default:
                break;
        }
        if (s.isEmpty() || s.length() > 10) {
            throw badOwner(s);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw badOwner(s);
            }
            v = v * 10 + (c - '0');
        }
        if (v > 0xFFFF_FFFFL) {
            throw badOwner(s);
        }
        return (int) v;
    }

    private static NfsException badOwner(String s) {
        return new NfsException(NfsStatus.NFS4ERR_BADOWNER, "owner \"" + s + "\" is not a numeric id");
    }
}

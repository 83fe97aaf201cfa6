package org.jnfsd.core.fs;

import java.nio.charset.StandardCharsets;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;

/** The component4 name rules every operation taking a name applies. Stateless. */
public final class Names {
    private Names() {}

    /**
     * A component name, as knfsd checks it: empty is NFS4ERR_INVAL; longer than {@code maxName}
     * UTF-8 bytes is NFS4ERR_NAMETOOLONG; ".", ".." and names holding '/' or NUL are NFS4ERR_BADNAME.
     */
    public static void checkComponent(String name, int maxName) throws NfsException {
        if (name.isEmpty()) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "empty name");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxName) {
            throw new NfsException(NfsStatus.NFS4ERR_NAMETOOLONG, "name of " + bytes + " bytes, more than " + maxName);
        }
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new NfsException(NfsStatus.NFS4ERR_BADNAME, "bad name \"" + name.replace('\0', '?') + "\"");
        }
    }
}

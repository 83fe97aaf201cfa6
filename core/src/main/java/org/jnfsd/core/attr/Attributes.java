package org.jnfsd.core.attr;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.vfs.SetAttributes;

/**
 * The NFSv4 attribute codec: fattr4 to and from backend attributes. Owned by the namespace work;
 * OPEN uses {@link #decodeSettable} for its create attributes.
 */
public final class Attributes {
    private Attributes() {}

    /**
     * Decodes settable attributes (mode, owner, owner_group, size, time_access_set,
     * time_modify_set). NFS4ERR_ATTRNOTSUPP for a known attribute that cannot be set or is
     * unsupported, NFS4ERR_INVAL for a read-only one, NFS4ERR_BADXDR for malformed values,
     * NFS4ERR_BADOWNER for an owner that is not a numeric string or known name.
     */
    public static SetAttributes decodeSettable(Fattr4 attrs) throws NfsException {
        throw new UnsupportedOperationException("the namespace work implements this");
    }
}

package org.jnfsd.protocol.nfs4;

import org.jnfsd.protocol.xdr.XdrEncoder;

/** A result that is only a status: every failure of most operations, and a few successes. */
public record StatusResult(NfsStatus status) implements OpResult {
    public static final StatusResult OK = new StatusResult(NfsStatus.NFS4_OK);

    public static StatusResult of(NfsStatus status) {
        return status == NfsStatus.NFS4_OK ? OK : new StatusResult(status);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(status.code());
    }
}

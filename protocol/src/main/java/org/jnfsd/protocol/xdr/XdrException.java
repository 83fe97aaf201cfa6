package org.jnfsd.protocol.xdr;

import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * Malformed or over-limit XDR input. Carries the NFS status an operation should answer with:
 * {@link NfsStatus#NFS4ERR_BADXDR} for structural errors, {@link NfsStatus#NFS4ERR_INVAL} for
 * strings that are not UTF-8. At the RPC level the same condition is GARBAGE_ARGS.
 */
public final class XdrException extends RuntimeException {
    private final NfsStatus status;

    public XdrException(String message) {
        this(NfsStatus.NFS4ERR_BADXDR, message);
    }

    public XdrException(NfsStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public NfsStatus status() {
        return status;
    }
}

package org.jnfsd.core.compound;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * What SEQUENCE returns for a retried request whose reply was not cached (sa_cachethis false): the
 * engine writes SEQUENCE's own result, then the next operation of the request with
 * NFS4ERR_RETRY_UNCACHED_REP (RFC 8881 §2.10.6.1.3, as knfsd does), executes nothing, and holds no slot.
 *
 * @param sequenceResult SEQUENCE's result as it was for the original request
 */
public record UncachedRetry(OpResult sequenceResult) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4ERR_RETRY_UNCACHED_REP;
    }

    @Override
    public void encode(XdrEncoder out) {
        throw new IllegalStateException("an uncached retry is written by the engine, not encoded");
    }
}

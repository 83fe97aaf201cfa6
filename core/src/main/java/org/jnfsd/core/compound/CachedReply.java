package org.jnfsd.core.compound;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * What SEQUENCE returns for a retried request (same slot, same sequence id): the whole COMPOUND
 * reply sent the first time. The engine writes it verbatim and executes nothing else.
 */
public record CachedReply(byte[] compoundReply) implements OpResult {
    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        throw new IllegalStateException("a cached reply is written by the engine, not encoded");
    }
}

package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.core.copy.Copies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jnfsd.protocol.nfs4.v42.OffloadCancelArgs;

/**
 * OFFLOAD_CANCEL (RFC 7862 §15.8): stops an asynchronous copy of this client at its next chunk; it
 * then sends no CB_OFFLOAD (the client asked for the stop and needs none; knfsd's copy thread sends
 * one anyway) and OFFLOAD_STATUS no longer knows it (as knfsd). A copy that had ended already is
 * left as it is, visible until reaped, and the answer is NFS4_OK; a stateid that names no copy of
 * this client is NFS4ERR_BAD_STATEID.
 */
final class OffloadCancel implements Operation<OffloadCancelArgs> {
    private static final Logger log = LoggerFactory.getLogger(OffloadCancel.class);

    @Override
    public Opcode opcode() {
        return Opcode.OFFLOAD_CANCEL;
    }

    @Override
    public OffloadCancelArgs decode(XdrDecoder in) {
        return OffloadCancelArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, OffloadCancelArgs args) throws NfsException {
        Copies copies = ctx.server().copies();
        AsyncCopy copy = copies.find(ctx.clientId(), args.stateId());
        if (!copies.cancel(copy)) {
            log.debug("OFFLOAD_CANCEL of {}: it had ended already", copy);
        }
        return StatusResult.OK;
    }
}

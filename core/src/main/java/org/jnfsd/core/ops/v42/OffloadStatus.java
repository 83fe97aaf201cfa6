package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.protocol.nfs4.v42.OffloadStatusArgs;
import org.jnfsd.protocol.nfs4.v42.OffloadStatusResult;

/**
 * OFFLOAD_STATUS (RFC 7862 §15.9): bytes copied so far by an asynchronous copy of this client and,
 * once it ended, its completion status. A finished copy answers for its keep time (a lease) after it
 * ended and its CB_OFFLOAD was released; a stateid that names no visible copy of this client (never
 * issued, another client's, cancelled, reaped) is NFS4ERR_BAD_STATEID.
 */
final class OffloadStatus implements Operation<OffloadStatusArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.OFFLOAD_STATUS;
    }

    @Override
    public OffloadStatusArgs decode(XdrDecoder in) {
        return OffloadStatusArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, OffloadStatusArgs args) throws NfsException {
        AsyncCopy copy = ctx.server().copies().find(ctx.clientId(), args.stateId());
        return new OffloadStatusResult(copy.copied(), copy.result());
    }
}

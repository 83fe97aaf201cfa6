package org.jnfsd.core.ops.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.lock.LockDeniedResult;
import org.jnfsd.protocol.nfs4.lock.LocktArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * LOCKT (RFC 8881 §18.11): tests whether the owner could take the lock; NFS4ERR_DENIED with the
 * first conflicting lock otherwise. Needs no open; the owner's client id is the session's. Queued
 * waiters are not reported: LOCKT answers about locks held. NFS4ERR_GRACE during grace.
 */
final class Lockt implements Operation<LocktArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LOCKT;
    }

    @Override
    public LocktArgs decode(XdrDecoder in) {
        return LocktArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, LocktArgs args) throws NfsException {
        FileHandle fh = LockChecks.regularFile(ctx);
        LockRange range = LockRange.of(args.offset(), args.length());
        ctx.server().grace().checkNotInGrace("LOCKT"); // as knfsd's nfsd4_lockt
        OpenOwner owner = new OpenOwner(ctx.clientId(), args.owner().owner());
        return ctx.server().locks().test(ctx.clientId(), fh, owner, args.type().isWrite(), range)
                .<OpResult>map(d -> new LockDeniedResult(LockChecks.toWire(d)))
                .orElse(StatusResult.OK);
    }

    /** The error arms without a body; NFS4ERR_DENIED (which has one) is never thrown. */
    @Override
    public OpResult failure(NfsStatus status, LocktArgs args) {
        // a denial is returned by execute with its body; a bare DENIED would be undecodable
        return LockChecks.failure(Opcode.LOCKT, status, args);
    }
}

package org.jnfsd.core.ops.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.core.state.lock.LockOutcome;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockDeniedResult;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * LOCK (RFC 8881 §18.10): a byte-range lock on the current file, for a new lock owner (through an
 * open stateid) or a known one (through its lock stateid). The seqids are ignored in 4.1, and the
 * lock owner's client id is replaced by the session's, as OPEN does. A conflict is NFS4ERR_DENIED
 * with the conflicting lock in the body (the stateid of the reply becomes the current stateid only
 * on success). Blocking types that are denied queue the owner ({@link LockManager}).
 */
final class Lock implements Operation<LockArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LOCK;
    }

    @Override
    public LockArgs decode(XdrDecoder in) {
        return LockArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, LockArgs args) throws NfsException {
        FileHandle fh = LockChecks.regularFile(ctx);
        LockRange range = LockRange.of(args.offset(), args.length());
        LockManager locks = ctx.server().locks();
        boolean write = args.type().isWrite();
        boolean blocking = args.type().isBlocking();
        LockOutcome outcome = switch (args.locker()) {
            case Locker.NewOwner n -> locks.lockNewOwner(ctx.clientId(), fh, ctx.resolveStateId(n.openStateId()),
                    new OpenOwner(ctx.clientId(), n.lockOwner().owner()), write, blocking, args.reclaim(), range);
            case Locker.ExistingOwner e -> locks.lockExisting(ctx.clientId(), fh, ctx.resolveStateId(e.lockStateId()),
                    write, blocking, args.reclaim(), range);
        };
        return switch (outcome) {
            case LockOutcome.Granted g -> {
                ctx.setCurrentStateId(g.stateId());
                yield new StateIdResult(g.stateId());
            }
            case LockOutcome.Denied d -> new LockDeniedResult(LockChecks.toWire(d));
        };
    }

    /** The error arms without a body; NFS4ERR_DENIED (which has one) is never thrown. */
    @Override
    public OpResult failure(NfsStatus status, LockArgs args) {
        // a denial is returned by execute with its body; a bare DENIED would be undecodable
        return LockChecks.failure(Opcode.LOCK, status, args);
    }
}

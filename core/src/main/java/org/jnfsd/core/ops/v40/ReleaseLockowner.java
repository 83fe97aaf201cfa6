package org.jnfsd.core.ops.v40;

import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.state.V40Owners;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.lock.ReleaseLockownerArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * RELEASE_LOCKOWNER (RFC 7530 §16.37), NFSv4.0 only (4.1 and 4.2 answer NFS4ERR_NOTSUPP before
 * dispatch, RFC 8881 §17): NFS4ERR_LOCKS_HELD while the lock-owner holds a lock; otherwise its
 * lock stateids are freed and its seqid and replay are forgotten. An unknown owner is OK.
 */
final class ReleaseLockowner implements Operation<ReleaseLockownerArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.RELEASE_LOCKOWNER;
    }

    @Override
    public ReleaseLockownerArgs decode(XdrDecoder in) {
        return ReleaseLockownerArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ReleaseLockownerArgs args) throws NfsException {
        LockManager locks = ctx.server().locks();
        long client = args.owner().clientId();
        List<LockManager.LockView> mine = locks.locksOf(client).stream()
                .filter(v -> v.owner().equals(args.owner())).toList();
        for (LockManager.LockView v : mine) {
            if (!v.ranges().isEmpty()) {
                throw new NfsException(NfsStatus.NFS4ERR_LOCKS_HELD, "lock-owner of " + Long.toHexString(client)
                        + " still holds " + v.ranges().size() + " ranges of " + v.file());
            }
        }
        for (LockManager.LockView v : mine) {
            NfsStatus freed = locks.free(client, v.stateId());
            if (!freed.isOk()) {
                throw new NfsException(freed, "freeing lock stateid of a released lock-owner");
            }
            ctx.server().v40States().ended(v.stateId());
        }
        ctx.server().v40Owners().remove(V40Owners.Key.of(client, V40Owners.Kind.LOCK, args.owner().owner()));
        return StatusResult.OK;
    }
}

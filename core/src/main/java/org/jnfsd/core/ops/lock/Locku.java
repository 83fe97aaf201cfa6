package org.jnfsd.core.ops.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * LOCKU (RFC 8881 §18.12): releases the owner's locks in the range, whatever their type (the lock
 * type argument is not checked, as in knfsd); unlocking what is not locked succeeds. The lock
 * stateid's seqid goes up by one and the new stateid becomes the current one.
 */
final class Locku implements Operation<LockuArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LOCKU;
    }

    @Override
    public LockuArgs decode(XdrDecoder in) {
        return LockuArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, LockuArgs args) throws NfsException {
        FileHandle fh = LockChecks.regularFile(ctx);
        LockRange range = LockRange.of(args.offset(), args.length());
        StateId sid = ctx.server().locks().unlock(ctx.clientId(), fh, ctx.resolveStateId(args.lockStateId()), range);
        ctx.setCurrentStateId(sid);
        return new StateIdResult(sid);
    }
}

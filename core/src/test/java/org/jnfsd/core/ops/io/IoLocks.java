package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.ops.lock.LockOperations;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;

/** LOCK and LOCKU on the context's current file, for the tests of how this area's operations see locks. */
final class IoLocks {
    private static final OperationTable LOCK_OPS = new OperationTable(LockOperations.all());

    private IoLocks() {}

    /** A write lock on [0, 10) by a new lock owner through {@code open}; returns the lock stateid. */
    static StateId lock(CompoundContext ctx, StateId open) {
        OpResult r = run(ctx, new LockArgs(LockType.WRITE_LT, false, 0, 10,
                new Locker.NewOwner(0, open, 0, new OpenOwner(ctx.clientId(), "lk".getBytes(StandardCharsets.UTF_8)))));
        assertThat(r).isInstanceOf(StateIdResult.class);
        return ((StateIdResult) r).stateId();
    }

    /** Unlocks [0, 10); returns the lock stateid with its new seqid. */
    static StateId unlock(CompoundContext ctx, StateId lock) {
        return ((StateIdResult) run(ctx, new LockuArgs(LockType.WRITE_LT, 0, lock, 0, 10))).stateId();
    }

    @SuppressWarnings("unchecked")
    private static OpResult run(CompoundContext ctx, OpArgs args) {
        Operation<OpArgs> op = (Operation<OpArgs>) LOCK_OPS.get(args.opcode());
        try {
            return op.execute(ctx, args);
        } catch (NfsException e) {
            return op.failure(e.status(), args);
        }
    }

}

package org.jnfsd.core.ops.io;

import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.FreeStateidArgs;
import org.junit.jupiter.api.Test;

class FreeStateidTest {
    private final IoFixture fx = new IoFixture();

    @Test
    void free_openStateid_locksHeld_unknown_badStateid() {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_READ).stateId();
        assertThat(run(new FreeStateid(), ctx, new FreeStateidArgs(sid)).status()).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(run(new FreeStateid(), ctx, new FreeStateidArgs(StateId.ANONYMOUS)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void free_lockStateid_locksHeldWhileLocked_thenFreed() {
        CompoundContext ctx = fx.ctx();
        StateId open = fx.create(ctx, "f", ACCESS_BOTH).stateId();
        StateId lock = IoLocks.lock(ctx, open);
        assertThat(run(new FreeStateid(), ctx, new FreeStateidArgs(lock)).status()).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        StateId unlocked = IoLocks.unlock(ctx, lock);
        assertThat(run(new FreeStateid(), ctx, new FreeStateidArgs(unlocked)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(run(new FreeStateid(), ctx, new FreeStateidArgs(unlocked)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        // the open is untouched
        assertThat(fx.server.opens().openCount(IoFixture.CLIENT)).isEqualTo(1);
    }
}

package org.jnfsd.core.ops.io;

import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.CLIENT;
import static org.jnfsd.core.ops.io.IoFixture.read;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_READ;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.junit.jupiter.api.Test;

class CloseTest {
    private final IoFixture fx = new IoFixture();

    @Test
    void close_returnsInvalidStateidAndDropsTheOpen() {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.open(ctx, "f", new OpenHow.Unchecked(Fattr4.EMPTY), ACCESS_READ, DENY_READ).stateId();
        StateIdResult r = (StateIdResult) run(new Close(), ctx, new CloseArgs(0, sid));
        assertThat(r.stateId()).isEqualTo(StateId.INVALID);
        assertThat(fx.server.opens().openCount(CLIENT)).isZero();
        assertThat(read(ctx, sid, 0, 1).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        // the deny went with it
        assertThat(read(ctx, StateId.ANONYMOUS, 0, 1).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(run(new Close(), ctx, new CloseArgs(0, sid)).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void close_currentStateid_closesTheOpenJustMade() {
        CompoundContext ctx = fx.ctx();
        fx.create(ctx, "f", ACCESS_READ);
        assertThat(run(new Close(), ctx, new CloseArgs(0, StateId.CURRENT)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(fx.server.opens().openCount(CLIENT)).isZero();
    }

    @Test
    void close_oldSeqid_oldStateid() {
        CompoundContext ctx = fx.ctx();
        StateId first = fx.create(ctx, "f", ACCESS_READ).stateId();
        fx.create(ctx, "f", ACCESS_READ);
        assertThat(run(new Close(), ctx, new CloseArgs(0, first)).status()).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
    }

    @Test
    void close_whileLocksHeld_locksHeld_afterLocku_closesAndFreesTheLockStateid() {
        CompoundContext ctx = fx.ctx();
        StateId open = fx.create(ctx, "f", ACCESS_BOTH).stateId();
        StateId lock = IoLocks.lock(ctx, open);
        assertThat(run(new Close(), ctx, new CloseArgs(0, open)).status()).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(fx.server.opens().openCount(CLIENT)).isEqualTo(1);
        StateId unlocked = IoLocks.unlock(ctx, lock);
        assertThat(run(new Close(), ctx, new CloseArgs(0, open)).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(fx.server.locks().lockStateCount(CLIENT)).isZero();
        assertThat(read(ctx, unlocked, 0, 1).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }
}

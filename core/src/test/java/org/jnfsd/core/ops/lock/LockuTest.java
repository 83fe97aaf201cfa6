package org.jnfsd.core.ops.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.lock.LockFixture.A;
import static org.jnfsd.core.ops.lock.LockFixture.B;
import static org.jnfsd.core.ops.lock.LockFixture.newOwner;
import static org.jnfsd.core.ops.lock.LockFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class LockuTest {
    private final LockFixture fx = new LockFixture();

    LockuTest() throws VfsException {}

    @Test
    void locku_part_bumpsSeqidSplitsAndFreesTheRange() throws Exception {
        StateId sid = ((StateIdResult) run(fx.ctx(A), newOwner(LockType.WRITE_LT, 0, 30, fx.open(A, ACCESS_BOTH), "la")))
                .stateId();
        CompoundContext ctx = fx.ctx(A);
        StateIdResult r = (StateIdResult) run(ctx, new LockuArgs(LockType.WRITE_LT, 0, sid, 10, 10));
        assertThat(r.stateId()).isEqualTo(sid.withSeqid(2));
        assertThat(ctx.currentStateId()).isEqualTo(r.stateId());
        StateId openB = fx.open(B, ACCESS_BOTH);
        assertThat(run(fx.ctx(B), newOwner(LockType.WRITE_LT, 10, 10, openB, "lb")).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(run(fx.ctx(B), newOwner(LockType.WRITE_LT, 20, 1, openB, "lb")).status())
                .isEqualTo(NfsStatus.NFS4ERR_DENIED);
        assertThat(run(fx.ctx(A), new LockuArgs(LockType.WRITE_LT, 0, sid, 0, 1)).status())
                .isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        assertThat(run(fx.ctx(A), new LockuArgs(LockType.WRITE_LT, 0, sid.withSeqid(0), 0, 0)).status())
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void locku_openStateid_badStateid() throws Exception {
        StateId open = fx.open(A, ACCESS_BOTH);
        assertThat(run(fx.ctx(A), new LockuArgs(LockType.READ_LT, 0, open, 0, 1)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }
}

package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.core.ops.io.IoFixture.write;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenDowngradeArgs;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.junit.jupiter.api.Test;

class OpenDowngradeTest {
    private final IoFixture fx = new IoFixture();

    @Test
    void downgrade_toRead_bumpsSeqidAndWriteBecomesOpenmode() {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_BOTH).stateId();
        StateIdResult r = (StateIdResult) run(new OpenDowngrade(), ctx, new OpenDowngradeArgs(sid, 0, ACCESS_READ, DENY_NONE));
        assertThat(r.stateId()).isEqualTo(sid.withSeqid(2));
        assertThat(ctx.currentStateId()).isEqualTo(r.stateId());
        assertThat(write(ctx, r.stateId(), 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        assertThat(write(ctx, sid, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
    }

    @Test
    void downgrade_notASubset_inval() {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_READ).stateId();
        assertThat(run(new OpenDowngrade(), ctx, new OpenDowngradeArgs(sid, 0, ACCESS_WRITE, DENY_NONE)).status())
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}

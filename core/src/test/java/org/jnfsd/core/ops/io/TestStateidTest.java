package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;

import java.util.List;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.TestStateidArgs;
import org.jnfsd.protocol.nfs4.io.TestStateidResult;
import org.junit.jupiter.api.Test;

class TestStateidTest {
    private final IoFixture fx = new IoFixture();

    @Test
    void test_mixedStateids_oneStatusEach() {
        CompoundContext ctx = fx.ctx();
        StateId first = fx.create(ctx, "f", ACCESS_READ).stateId();
        StateId current = fx.create(ctx, "f", ACCESS_READ).stateId();
        TestStateidResult r = (TestStateidResult) run(new TestStateid(), ctx,
                new TestStateidArgs(List.of(current, first, StateId.ANONYMOUS, new StateId(1, new byte[] {
                        1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 9}))));
        assertThat(r.statusCodes()).containsExactly(NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_OLD_STATEID,
                NfsStatus.NFS4ERR_BAD_STATEID, NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void test_lockStateid_okThenOld() {
        CompoundContext ctx = fx.ctx();
        StateId open = fx.create(ctx, "f", ACCESS_BOTH).stateId();
        StateId lock = IoLocks.lock(ctx, open);
        IoLocks.unlock(ctx, lock);
        TestStateidResult r = (TestStateidResult) run(new TestStateid(), ctx,
                new TestStateidArgs(List.of(lock.withSeqid(2), lock, open)));
        assertThat(r.statusCodes()).containsExactly(NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_OLD_STATEID, NfsStatus.NFS4_OK);
    }
}

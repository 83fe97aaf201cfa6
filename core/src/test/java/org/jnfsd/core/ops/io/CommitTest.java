package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.core.ops.io.IoFixture.write;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.CommitResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.vfs.FileType;
import org.junit.jupiter.api.Test;

class CommitTest {
    @Test
    void commit_verifierEqualsWriteVerifier_andDiffersAcrossServers() {
        IoFixture a = new IoFixture();
        IoFixture b = new IoFixture();
        CompoundContext ctxA = a.ctx();
        StateId sid = a.create(ctxA, "f", ACCESS_WRITE).stateId();
        WriteResult w = (WriteResult) write(ctxA, sid, 0, new byte[] {1}, StableHow.UNSTABLE4);
        CommitResult c = (CommitResult) run(new Commit(), ctxA, new CommitArgs(0, 0));
        assertThat(c.writeVerifier()).isEqualTo(w.writeVerifier());

        CompoundContext ctxB = b.ctx();
        b.create(ctxB, "f", ACCESS_WRITE);
        CommitResult cb = (CommitResult) run(new Commit(), ctxB, new CommitArgs(0, 0));
        assertThat(cb.writeVerifier()).isNotEqualTo(c.writeVerifier());
    }

    @Test
    void commit_directory_isdir_symlink_inval() throws Exception {
        IoFixture fx = new IoFixture();
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(fx.node("d", FileType.DIRECTORY));
        assertThat(run(new Commit(), ctx, new CommitArgs(0, 0)).status()).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
        ctx.setCurrentFh(fx.node("l", FileType.SYMLINK));
        assertThat(run(new Commit(), ctx, new CommitArgs(0, 0)).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void commit_rangeBeyond2To64_inval() {
        IoFixture fx = new IoFixture();
        CompoundContext ctx = fx.ctx();
        fx.create(ctx, "f", ACCESS_WRITE);
        assertThat(run(new Commit(), ctx, new CommitArgs(-2L, 10)).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}

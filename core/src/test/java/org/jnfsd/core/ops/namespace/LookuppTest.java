package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class LookuppTest {
    private final Fixture f = new Fixture();

    @Test
    void execute_subdirectory_parent() throws Exception {
        Inode d = f.mkdir(f.root(), "d", 0755, 0, 0);
        Inode e = f.mkdir(d, "e", 0755, 0, 0);
        CompoundContext ctx = f.at(ALICE, e);

        new Lookupp().execute(ctx, VoidArgs.LOOKUPP);

        assertThat(ctx.currentFh()).isEqualTo(f.fh(d));
    }

    @Test
    void execute_atRootOrOnFile_noentOrNotdir() throws Exception {
        Inode file = f.file(f.root(), "f", 0644, 0, 0);

        assertThat(status(new Lookupp(), f.at(ALICE, f.root()), VoidArgs.LOOKUPP)).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(status(new Lookupp(), f.at(ALICE, file), VoidArgs.LOOKUPP)).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }
}

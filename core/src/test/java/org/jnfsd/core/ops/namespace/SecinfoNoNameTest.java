package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.SecinfoNoNameArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class SecinfoNoNameTest {
    private final Fixture f = new Fixture();

    @Test
    void execute_currentFh_flavorsAndConsumed() throws Exception {
        CompoundContext ctx = f.at(ALICE, f.root());

        SecinfoResult r = (SecinfoResult) new SecinfoNoName().execute(ctx, new SecinfoNoNameArgs(SecinfoNoNameArgs.CURRENT_FH));

        assertThat(r.flavors()).containsExactly(SecinfoResult.AUTH_SYS, SecinfoResult.AUTH_NONE);
        assertThat(ctx.hasCurrentFh()).isFalse();
    }

    @Test
    void execute_parentOfSubdirectory_okAndConsumed() throws Exception {
        Inode d = f.mkdir(f.root(), "d", 0755, 0, 0);
        CompoundContext ctx = f.at(ALICE, d);

        assertThat(status(new SecinfoNoName(), ctx, new SecinfoNoNameArgs(SecinfoNoNameArgs.PARENT))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(ctx.hasCurrentFh()).isFalse();
    }

    @Test
    void execute_parentOfRootOrNoFh_noentOrNofilehandle() {
        assertThat(status(new SecinfoNoName(), f.at(ALICE, f.root()), new SecinfoNoNameArgs(SecinfoNoNameArgs.PARENT)))
                .isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(status(new SecinfoNoName(), f.ctx(ALICE), new SecinfoNoNameArgs(SecinfoNoNameArgs.CURRENT_FH)))
                .isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }
}

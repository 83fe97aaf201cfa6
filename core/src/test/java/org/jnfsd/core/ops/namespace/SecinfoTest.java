package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.SecinfoArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class SecinfoTest {
    private final Fixture f = new Fixture();

    @Test
    void execute_existingName_sysThenNoneAndCurrentFhConsumed() throws Exception {
        f.mkdir(f.root(), "d", 0755, 0, 0);
        CompoundContext ctx = f.at(ALICE, f.root());

        SecinfoResult r = (SecinfoResult) new Secinfo().execute(ctx, SecinfoArgs.of("d"));

        assertThat(r.flavors()).containsExactly(SecinfoResult.AUTH_SYS, SecinfoResult.AUTH_NONE);
        assertThat(ctx.hasCurrentFh()).isFalse();
    }

    @Test
    void execute_missingNameOrFile_noentOrNotdir() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 0, 0);

        assertThat(status(new Secinfo(), f.at(ALICE, f.root()), SecinfoArgs.of("nope"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(status(new Secinfo(), f.at(ALICE, file), SecinfoArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }
}

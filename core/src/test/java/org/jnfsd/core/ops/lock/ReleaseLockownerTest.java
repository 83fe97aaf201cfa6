package org.jnfsd.core.ops.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.lock.LockFixture.A;
import static org.jnfsd.core.ops.lock.LockFixture.bytes;
import static org.jnfsd.core.ops.lock.LockFixture.run;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.lock.ReleaseLockownerArgs;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class ReleaseLockownerTest {
    private final LockFixture fx = new LockFixture();

    ReleaseLockownerTest() throws VfsException {}

    @Test
    void releaseLockowner_minorVersion1_notsupp() {
        assertThat(run(fx.ctx(A), new ReleaseLockownerArgs(new OpenOwner(A, bytes("l")))).status())
                .isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
    }
}

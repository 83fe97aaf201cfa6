package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.ReadlinkResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.junit.jupiter.api.Test;

class ReadlinkTest {
    private final Fixture f = new Fixture();

    @Test
    void execute_symlink_target() throws Exception {
        Inode l = f.fs.symlink(f.root(), "l", "/etc/hosts", SetAttributes.NONE);

        assertThat(((ReadlinkResult) new Readlink().execute(f.at(ALICE, l), VoidArgs.READLINK)).link())
                .isEqualTo("/etc/hosts");
    }

    @Test
    void execute_notSymlink_inval() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 0, 0);

        assertThat(status(new Readlink(), f.at(ALICE, file), VoidArgs.READLINK)).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(new Readlink(), f.at(ALICE, f.root()), VoidArgs.READLINK)).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}

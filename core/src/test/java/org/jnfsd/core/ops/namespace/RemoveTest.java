package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.BOB;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class RemoveTest {
    private final Fixture f = new Fixture();
    private final Remove remove = new Remove();

    @Test
    void execute_file_goneAndChangeInfo() throws Exception {
        f.file(f.root(), "a", 0644, 1000, 1000);
        long before = f.stat(f.root()).change();

        ChangeInfoResult r = (ChangeInfoResult) remove.execute(f.at(ALICE, f.root()), RemoveArgs.of("a"));

        assertThatThrownBy(() -> f.fs.lookup(f.root(), "a")).isInstanceOf(VfsException.class);
        assertThat(r.cinfo().before()).isEqualTo(before);
        assertThat(r.cinfo().after()).isEqualTo(f.stat(f.root()).change()).isNotEqualTo(before);
    }

    @Test
    void execute_missingOrNonEmpty_noentOrNotempty() throws Exception {
        Inode d = f.mkdir(f.root(), "d", 0777, 1000, 1000);
        f.file(d, "x", 0644, 1000, 1000);

        assertThat(status(remove, f.at(ALICE, f.root()), RemoveArgs.of("nope"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(status(remove, f.at(ALICE, f.root()), RemoveArgs.of("d"))).isEqualTo(NfsStatus.NFS4ERR_NOTEMPTY);
    }

    @Test
    void execute_stickyDirectory_onlyOwnersOrRoot() throws Exception {
        Inode tmp = f.mkdir(f.root(), "tmp", 01777, 0, 0);
        f.file(tmp, "alices", 0666, 1000, 1000);
        f.file(tmp, "alices2", 0666, 1000, 1000);

        assertThat(status(remove, f.at(BOB, tmp), RemoveArgs.of("alices"))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(remove, f.at(ALICE, tmp), RemoveArgs.of("alices"))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(remove, f.at(ROOT, tmp), RemoveArgs.of("alices2"))).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void execute_noWritePermission_access() throws Exception {
        Inode d = f.mkdir(f.root(), "d", 0755, 0, 0);
        f.file(d, "x", 0666, 1000, 1000);

        assertThat(status(remove, f.at(ALICE, d), RemoveArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void execute_readOnlyExportOrNotADirectory_rofsOrNotdir() throws Exception {
        Fixture ro = new Fixture(true, false, false);
        ro.file(ro.root(), "x", 0644, 0, 0);
        Inode file = f.file(f.root(), "f", 0644, 0, 0);

        assertThat(status(remove, ro.at(ROOT, ro.root()), RemoveArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(status(remove, f.at(ROOT, file), RemoveArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }
}

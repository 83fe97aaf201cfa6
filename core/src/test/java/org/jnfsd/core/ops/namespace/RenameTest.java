package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.BOB;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class RenameTest {
    private final Fixture f = new Fixture();
    private final Rename rename = new Rename();

    private CompoundContext ctx(Fixture fx, Credential who, Inode from, Inode to) throws Exception {
        CompoundContext c = fx.at(who, from);
        c.saveFh();
        c.setCurrentFh(fx.fh(to));
        return c;
    }

    @Test
    void execute_acrossDirectories_movedAndBothChangeInfos() throws Exception {
        Inode a = f.mkdir(f.root(), "a", 0777, 0, 0);
        Inode b = f.mkdir(f.root(), "b", 0777, 0, 0);
        Inode file = f.file(a, "x", 0644, 1000, 1000);
        long beforeA = f.stat(a).change();
        long beforeB = f.stat(b).change();

        RenameResult r = (RenameResult) rename.execute(ctx(f, ALICE, a, b), RenameArgs.of("x", "y"));

        assertThat(f.fs.lookup(b, "y")).isEqualTo(file);
        assertThat(r.source().before()).isEqualTo(beforeA);
        assertThat(r.source().after()).isEqualTo(f.stat(a).change()).isNotEqualTo(beforeA);
        assertThat(r.target().before()).isEqualTo(beforeB);
        assertThat(r.target().after()).isEqualTo(f.stat(b).change()).isNotEqualTo(beforeB);
    }

    @Test
    void execute_ontoItself_okWithoutChange() throws Exception {
        f.file(f.root(), "x", 0644, 1000, 1000);
        long before = f.stat(f.root()).change();

        RenameResult r = (RenameResult) rename.execute(ctx(f, ALICE, f.root(), f.root()), RenameArgs.of("x", "x"));

        assertThat(r.source().before()).isEqualTo(before).isEqualTo(r.source().after());
        assertThat(r.target().after()).isEqualTo(before);
        assertThat(f.stat(f.root()).change()).isEqualTo(before);
    }

    @Test
    void execute_acrossExports_xdev() throws Exception {
        f.file(f.root(), "x", 0644, 1000, 1000);
        CompoundContext c = f.at(ALICE, f.root());
        c.saveFh();
        c.setCurrentFh(new FileHandle(f.other.id(), f.other.fs().root()));

        assertThat(status(rename, c, RenameArgs.of("x", "y"))).isEqualTo(NfsStatus.NFS4ERR_XDEV);
    }

    @Test
    void execute_missingSourceOrNoSavedFh_noentOrNofilehandle() throws Exception {
        assertThat(status(rename, ctx(f, ALICE, f.root(), f.root()), RenameArgs.of("nope", "y")))
                .isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(status(rename, f.at(ALICE, f.root()), RenameArgs.of("x", "y"))).isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }

    @Test
    void execute_stickyOrReadOnly_permOrRofs() throws Exception {
        Inode tmp = f.mkdir(f.root(), "tmp", 01777, 0, 0);
        f.file(tmp, "alices", 0666, 1000, 1000);
        Fixture ro = new Fixture(true, false, false);
        ro.file(ro.root(), "x", 0644, 0, 0);

        assertThat(status(rename, ctx(f, BOB, tmp, tmp), RenameArgs.of("alices", "bobs"))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(status(rename, ctx(ro, ROOT, ro.root(), ro.root()), RenameArgs.of("x", "y")))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
    }

    @Test
    void execute_noWritePermissionOnTarget_access() throws Exception {
        Inode closed = f.mkdir(f.root(), "closed", 0755, 0, 0);
        f.file(f.root(), "x", 0644, 1000, 1000);

        assertThat(status(rename, ctx(f, ALICE, f.root(), closed), RenameArgs.of("x", "y"))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }
}

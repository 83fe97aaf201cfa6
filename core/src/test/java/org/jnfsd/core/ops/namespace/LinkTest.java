package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.namespace.LinkArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class LinkTest {
    private final Fixture f = new Fixture();
    private final Link link = new Link();

    private CompoundContext ctx(Inode source, Inode dir) throws Exception {
        CompoundContext c = f.at(ALICE, source);
        c.saveFh();
        c.setCurrentFh(f.fh(dir));
        return c;
    }

    @Test
    void execute_file_secondNameAndChangeInfo() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);
        Inode d = f.mkdir(f.root(), "d", 0777, 0, 0);
        long before = f.stat(d).change();

        ChangeInfoResult r = (ChangeInfoResult) link.execute(ctx(file, d), LinkArgs.of("b"));

        assertThat(f.fs.lookup(d, "b")).isEqualTo(file);
        assertThat(f.stat(file).nlink()).isEqualTo(2);
        assertThat(r.cinfo().before()).isEqualTo(before);
        assertThat(r.cinfo().after()).isEqualTo(f.stat(d).change()).isNotEqualTo(before);
    }

    @Test
    void execute_directorySourceOrFileTarget_isdirOrNotdir() throws Exception {
        Inode d = f.mkdir(f.root(), "d", 0777, 0, 0);
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);

        assertThat(status(link, ctx(d, f.root()), LinkArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
        assertThat(status(link, ctx(file, file), LinkArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }

    @Test
    void execute_acrossExportsOrExisting_xdevOrExist() throws Exception {
        Inode file = f.file(f.root(), "a", 0644, 1000, 1000);
        CompoundContext c = f.at(ALICE, file);
        c.saveFh();
        c.setCurrentFh(new FileHandle(f.other.id(), f.other.fs().root()));

        assertThat(status(link, c, LinkArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_XDEV);
        assertThat(status(link, ctx(file, f.root()), LinkArgs.of("a"))).isEqualTo(NfsStatus.NFS4ERR_EXIST);
    }
}

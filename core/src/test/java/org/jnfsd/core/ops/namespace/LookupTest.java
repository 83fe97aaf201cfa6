package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.OpIndexes;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.vfs.ForwardingFileSystem;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.LookupResult;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class LookupTest {
    private final Fixture f = new Fixture();
    private final Lookup lookup = new Lookup();

    @Test
    void execute_existingName_currentBecomesEntry() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 0, 0);
        CompoundContext ctx = f.at(ALICE, f.root());

        lookup.execute(ctx, LookupArgs.of("d"));

        assertThat(ctx.currentFh()).isEqualTo(f.fh(dir));
    }

    @Test
    void execute_missingName_noent() {
        assertThat(status(lookup, f.at(ALICE, f.root()), LookupArgs.of("nope"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
    }

    @Test
    void execute_currentNotDirectory_notdirOrSymlink() throws Exception {
        Inode file = f.file(f.root(), "f", 0644, 0, 0);
        Inode link = f.fs.symlink(f.root(), "l", "f", SetAttributes.NONE);

        assertThat(status(lookup, f.at(ALICE, file), LookupArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
        assertThat(status(lookup, f.at(ALICE, link), LookupArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
    }

    @Test
    void execute_badNames_invalBadnameNametoolong() {
        assertThat(status(lookup, f.at(ALICE, f.root()), new LookupArgs(new byte[0]))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(lookup, f.at(ALICE, f.root()), new LookupArgs(new byte[] {(byte) 0xc3, 0x28})))
                .as("not UTF-8").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        for (String bad : new String[] {".", "..", "a/b", "a\0b"}) {
            assertThat(status(lookup, f.at(ALICE, f.root()), LookupArgs.of(bad))).as(bad).isEqualTo(NfsStatus.NFS4ERR_BADNAME);
        }
        assertThat(status(lookup, f.at(ALICE, f.root()), LookupArgs.of("x".repeat(256))))
                .isEqualTo(NfsStatus.NFS4ERR_NAMETOOLONG);
        assertThat(status(lookup, f.at(ALICE, f.root()), LookupArgs.of("x".repeat(255))))
                .as("at the limit").isEqualTo(NfsStatus.NFS4ERR_NOENT);
    }

    @Test
    void execute_noSearchPermission_accessExceptForRoot() throws Exception {
        Inode secret = f.mkdir(f.root(), "secret", 0700, 0, 0);
        f.file(secret, "x", 0644, 0, 0);

        assertThat(status(lookup, f.at(ALICE, secret), LookupArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(status(lookup, f.at(ROOT, secret), LookupArgs.of("x"))).isEqualTo(NfsStatus.NFS4_OK);
        Fixture squashed = new Fixture(false, true, false);
        Inode s2 = squashed.mkdir(squashed.root(), "secret", 0700, 0, 0);
        assertThat(status(lookup, squashed.at(ROOT, s2), LookupArgs.of("x")))
                .as("root squashed to nobody").isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    /** LOOKUP after LOOKUP hands the backend the directory's attributes the first one read; after PUTFH none. */
    @Test
    void execute_afterLookup_passesTheEntryAttributesAsTheDirectorys() throws Exception {
        List<Stat> passed = new ArrayList<>();
        Fixture g = new Fixture(v -> new ForwardingFileSystem(v) {
            @Override
            public LookupResult lookupWithDir(Inode dir, Stat dirAttrs, String name) throws VfsException {
                passed.add(dirAttrs);
                LookupResult r = super.lookupWithDir(dir, dirAttrs, name);
                // the entry's attributes read on the way, as the local backend gives them
                return new LookupResult(r.dir(), r.entry(), r.entry() == null ? null : getattr(r.entry()));
            }
        });
        Inode d = g.mkdir(g.root(), "d", 0755, 0, 0);
        g.file(d, "f", 0644, 0, 0);
        CompoundContext ctx = g.at(ALICE, g.root());
        OpIndexes.set(ctx, 1);
        lookup.execute(ctx, LookupArgs.of("d"));
        OpIndexes.set(ctx, 2);
        lookup.execute(ctx, LookupArgs.of("f"));

        assertThat(passed).hasSize(2);
        assertThat(passed.get(0)).as("after PUTFH").isNull();
        assertThat(passed.get(1)).as("after LOOKUP d").isEqualTo(g.stat(d));
    }

    /** The permission check uses what the backend answers for the directory, the passed attributes included. */
    @Test
    void execute_backendAnswersWithPassedDirAttrs_checksThem() throws Exception {
        Fixture g = new Fixture(v -> new ForwardingFileSystem(v) {
            @Override
            public LookupResult lookupWithDir(Inode dir, Stat dirAttrs, String name) throws VfsException {
                LookupResult r = super.lookupWithDir(dir, dirAttrs, name);
                return dirAttrs == null ? r : new LookupResult(dirAttrs, r.entry(), r.entryAttrs());
            }
        });
        Inode d = g.mkdir(g.root(), "d", 0755, 0, 0);
        g.file(d, "f", 0644, 0, 0);
        Stat real = g.stat(d);
        Stat closed = new Stat(real.type(), real.fileId(), 0700, real.nlink(), 0, 0, real.size(), real.spaceUsed(),
                real.atime(), real.mtime(), real.ctime(), real.birthTime(), real.change(), real.rdevMajor(),
                real.rdevMinor());
        CompoundContext ctx = g.at(ALICE, g.root());
        OpIndexes.set(ctx, 1);
        ctx.setCurrentFh(g.fh(d), closed);
        OpIndexes.set(ctx, 2);

        assertThat(status(lookup, ctx, LookupArgs.of("f"))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void execute_noCurrentFh_nofilehandle() {
        assertThat(status(lookup, f.ctx(ALICE), LookupArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }
}

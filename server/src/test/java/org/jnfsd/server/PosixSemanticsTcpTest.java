package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.putfh;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v42.CloneArgs;
import org.jnfsd.protocol.nfs4.v42.CopyArgs;
import org.jnfsd.rpc.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The POSIX rules a Linux client expects of the server (issue 17), as a local Linux file system
 * and knfsd apply them, over real TCP with the project's client: set-group-id directories, the
 * clearing of set-id bits on write, truncate, chown and chmod, mode-bit permission checks with
 * knfsd's owner-override and read-if-executable exceptions, and SETATTR by a non-owner.
 */
class PosixSemanticsTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    /** alice is the fixture's uid 1000 (group 1000); bob is in group 3000, carol is not. */
    private static final Credential.AuthSys BOB = new Credential.AuthSys(0, "it-client", 2000, 2000, new int[] {3000});

    private Nfs root;
    private Nfs alice;
    private Nfs bob;

    private void clients() throws Exception {
        root = nfs.root();
        alice = nfs.user();
        bob = nfs.client(BOB, 2);
    }

    private static SetattrArgs setattr(org.jnfsd.protocol.nfs4.Fattr4 attrs) {
        return new SetattrArgs(StateId.ANONYMOUS, attrs);
    }

    private int mode(byte[] fh) throws Exception {
        return (Integer) root.attrs(fh, AttrBit.MODE).get(AttrBit.MODE);
    }

    private String group(byte[] fh) throws Exception {
        return (String) root.attrs(fh, AttrBit.OWNER_GROUP).get(AttrBit.OWNER_GROUP);
    }

    /** A file made by root, then given {@code owner}:{@code group} and {@code mode} (in that order). */
    private byte[] file(String path, int owner, int group, int mode) throws Exception {
        byte[] fh = root.writeFile(path, "data".getBytes(StandardCharsets.UTF_8));
        root.ok(putfh(fh), setattr(Fattr.builder().owner(Integer.toString(owner))
                .ownerGroup(Integer.toString(group)).build()));
        root.ok(putfh(fh), setattr(Fattr.mode(mode)));
        return fh;
    }

    private static WriteArgs write() {
        return new WriteArgs(StateId.ANONYMOUS, 0, StableHow.FILE_SYNC4, Unpooled.wrappedBuffer(new byte[] {'x'}));
    }

    @Test
    void setgidDirectory_newFileAndDirectoryTakeItsGroup_newDirectoryKeepsTheBit() throws Exception {
        clients();
        byte[] dir = root.mkdir("/sg", 0777);
        root.ok(putfh(dir), setattr(Fattr.builder().ownerGroup("3000").build()));
        root.ok(putfh(dir), setattr(Fattr.mode(02777)));

        byte[] file = alice.writeFile("/sg/f", new byte[] {1});
        byte[] sub = alice.mkdir("/sg/sub", 0755);

        assertThat(group(file)).as("inode_init_owner: the directory's group").isEqualTo("3000");
        assertThat(group(sub)).isEqualTo("3000");
        assertThat(mode(sub) & 07777).as("a subdirectory keeps set-group-id").isEqualTo(02755);
        assertThat(mode(file) & 02000).as("a file does not get it").isZero();
        byte[] plain = alice.mkdir("/plain", 0755);
        assertThat(group(plain)).as("elsewhere: the caller's group").isEqualTo("1000");
    }

    @Test
    void write_byNonRoot_clearsSetuid_andSetgidOnlyWithGroupExecute_rootsWriteKeepsThem() throws Exception {
        clients();
        byte[] both = file("/both", 2000, 2000, 06777);
        byte[] lockMark = file("/mark", 2000, 2000, 02666);
        byte[] byRoot = file("/root", 2000, 2000, 06777);

        alice.ok(putfh(both), write());
        alice.ok(putfh(lockMark), write());
        root.ok(putfh(byRoot), write());

        assertThat(mode(both) & 07777).as("should_remove_suid").isEqualTo(0777);
        assertThat(mode(lockMark) & 07777).as("set-group-id without g+x is a locking mark").isEqualTo(02666);
        assertThat(mode(byRoot) & 07777).as("root has CAP_FSETID").isEqualTo(06777);
    }

    @Test
    void sizeChange_byNonRoot_clearsSetIds() throws Exception {
        clients();
        byte[] f = file("/t", 2000, 2000, 06777);

        alice.ok(putfh(f), setattr(Fattr.builder().size(1).build()));

        assertThat(mode(f) & 07777).isEqualTo(0777);
    }

    @Test
    void allocateAndDeallocate_byNonRoot_clearSetIds() throws Exception {
        clients();
        byte[] grown = file("/al", 2000, 2000, 06777);
        byte[] punched = file("/de", 2000, 2000, 06777);

        alice.ok(putfh(grown), new org.jnfsd.protocol.nfs4.v42.AllocateArgs(StateId.ANONYMOUS, 0, 8192));
        alice.ok(putfh(punched), new org.jnfsd.protocol.nfs4.v42.DeallocateArgs(StateId.ANONYMOUS, 0, 2));

        assertThat(mode(grown) & 07777).as("fallocate: file_modified").isEqualTo(0777);
        assertThat(mode(punched) & 07777).isEqualTo(0777);
    }

    @Test
    void copyAndCloneDestination_byNonRoot_clearSetIds_byRootKeepThem() throws Exception {
        clients();
        byte[] src = file("/src", 1000, 1000, 0644);
        byte[] copied = file("/cp", 2000, 2000, 06777);
        byte[] cloned = file("/cl", 2000, 2000, 06777);
        byte[] rootCopied = file("/rcp", 2000, 2000, 06777);

        alice.ok(putfh(src), VoidArgs.SAVEFH, putfh(copied), new CopyArgs(
                StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 0, false, true, java.util.List.of()));
        alice.ok(putfh(src), VoidArgs.SAVEFH, putfh(cloned),
                new CloneArgs(StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 0));
        root.ok(putfh(src), VoidArgs.SAVEFH, putfh(rootCopied), new CopyArgs(
                StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 0, false, true, java.util.List.of()));

        assertThat(mode(copied) & 07777).as("vfs_copy_file_range: file_modified").isEqualTo(0777);
        assertThat(mode(cloned) & 07777).as("remap_file_range_prep: file_modified").isEqualTo(0777);
        assertThat(mode(rootCopied) & 07777).as("root has CAP_FSETID").isEqualTo(06777);
        assertThat(mode(src) & 07777).as("the source is not written").isEqualTo(0644);
    }

    @Test
    void chownAndChgrp_clearSetIdsOfFiles_evenByRoot_notOfDirectories() throws Exception {
        clients();
        byte[] f = file("/o", 1000, 1000, 06755);
        byte[] g = file("/g", 1000, 1000, 06755);
        byte[] d = root.mkdir("/d", 0755);
        root.ok(putfh(d), setattr(Fattr.mode(02755)));

        root.ok(putfh(f), setattr(Fattr.builder().owner("2000").build()));
        alice.ok(putfh(g), setattr(Fattr.builder().ownerGroup("1000").build()));
        root.ok(putfh(d), setattr(Fattr.builder().ownerGroup("3000").build()));

        assertThat(mode(f) & 07777).as("chown").isEqualTo(0755);
        assertThat(mode(g) & 07777).as("chgrp by the owner").isEqualTo(0755);
        assertThat(mode(d) & 07777).as("a directory keeps set-group-id").isEqualTo(02755);
    }

    @Test
    void chmod_byOwnerOutsideTheFilesGroup_dropsSetgid_insideKeepsIt() throws Exception {
        clients();
        byte[] foreignGroup = file("/fg", 1000, 3000, 0644);
        byte[] ownGroup = file("/og", 1000, 1000, 0644);

        alice.ok(putfh(foreignGroup), setattr(Fattr.mode(02755)));
        alice.ok(putfh(ownGroup), setattr(Fattr.mode(02755)));

        assertThat(mode(foreignGroup) & 07777).as("setattr_copy: not in group 3000").isEqualTo(0755);
        assertThat(mode(ownGroup) & 07777).isEqualTo(02755);
    }

    @Test
    void setattr_ownerGroupOrMode_byNonOwner_isPerm() throws Exception {
        clients();
        byte[] f = file("/a", 1000, 1000, 0666);

        assertThat(bob.status(putfh(f), setattr(Fattr.mode(0777)))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(bob.status(putfh(f), setattr(Fattr.builder().owner("2000").build())))
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(bob.status(putfh(f), setattr(Fattr.builder().ownerGroup("3000").build())))
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(mode(f) & 07777).isEqualTo(0666);
    }

    private static OpenArgs openExisting(Nfs c, int access) {
        return new OpenArgs(0, access, ShareAccess.DENY_NONE, c.newOwner(), new OpenHow.NoCreate(), new OpenClaim.Fh());
    }

    @Test
    void open_existingFile_followsTheModeBits_readIfExecutable_noOwnerOverride() throws Exception {
        clients();
        byte[] readOnly = file("/ro", 1000, 1000, 0444);
        byte[] none = file("/none", 1000, 1000, 0);
        byte[] binary = file("/bin", 1000, 1000, 0111);

        assertThat(alice.status(putfh(readOnly), openExisting(alice, ShareAccess.ACCESS_WRITE)))
                .as("open(2) of one's own 0444 file for write").isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(alice.status(putfh(readOnly), openExisting(alice, ShareAccess.ACCESS_READ)))
                .isEqualTo(NfsStatus.NFS4_OK);
        assertThat(alice.status(putfh(none), openExisting(alice, ShareAccess.ACCESS_READ)))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(bob.status(putfh(binary), openExisting(bob, ShareAccess.ACCESS_READ)))
                .as("NFSD_MAY_READ_IF_EXEC").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bob.status(putfh(binary), openExisting(bob, ShareAccess.ACCESS_BOTH)))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void read_withoutOpen_ownerOverride_andReadIfExecutable() throws Exception {
        clients();
        byte[] none = file("/n", 1000, 1000, 0);
        byte[] exec = file("/x", 1000, 1000, 0711);
        byte[] secret = file("/s", 1000, 1000, 0700);

        assertThat(alice.status(putfh(none), new ReadArgs(StateId.ANONYMOUS, 0, 4)))
                .as("NFSD_MAY_OWNER_OVERRIDE: I/O as on an open file").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bob.status(putfh(exec), new ReadArgs(StateId.ANONYMOUS, 0, 4)))
                .as("NFSD_MAY_READ_IF_EXEC").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(bob.status(putfh(secret), new ReadArgs(StateId.ANONYMOUS, 0, 4)))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.GETFH;
import static org.jnfsd.server.Nfs.LOOKUPP;
import static org.jnfsd.server.Nfs.PUTPUBFH;
import static org.jnfsd.server.Nfs.PUTROOTFH;
import static org.jnfsd.server.Nfs.READLINK;
import static org.jnfsd.server.Nfs.RESTOREFH;
import static org.jnfsd.server.Nfs.SAVEFH;
import static org.jnfsd.server.Nfs.getattr;
import static org.jnfsd.server.Nfs.path;
import static org.jnfsd.server.Nfs.putfh;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.fs.Access;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.namespace.AccessArgs;
import org.jnfsd.protocol.nfs4.namespace.AccessResult;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.LinkArgs;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirResult;
import org.jnfsd.protocol.nfs4.namespace.ReadlinkResult;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoNoNameArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoResult;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.VerifyArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The filehandle, namespace and attribute operations over real TCP (memory backend, root 0777). */
class NamespaceOverTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    private static final byte[] HELLO = "hello, world\n".getBytes(StandardCharsets.UTF_8);
    private static final int NF4REG = 1;
    private static final int NF4DIR = 2;

    /** The attributes the Linux client asks for on GETATTR of a file (nfs4_fattr_bitmap and friends). */
    private static final int[] LINUX_ATTRS = {AttrBit.SUPPORTED_ATTRS, AttrBit.TYPE, AttrBit.FH_EXPIRE_TYPE,
        AttrBit.CHANGE, AttrBit.SIZE, AttrBit.LINK_SUPPORT, AttrBit.SYMLINK_SUPPORT, AttrBit.FSID,
        AttrBit.LEASE_TIME, AttrBit.CASE_INSENSITIVE, AttrBit.CASE_PRESERVING, AttrBit.FILEID, AttrBit.FILES_AVAIL,
        AttrBit.FILES_FREE, AttrBit.FILES_TOTAL, AttrBit.MAXFILESIZE, AttrBit.MAXLINK, AttrBit.MAXNAME,
        AttrBit.MAXREAD, AttrBit.MAXWRITE, AttrBit.MODE, AttrBit.NUMLINKS, AttrBit.OWNER, AttrBit.OWNER_GROUP,
        AttrBit.RAWDEV, AttrBit.SPACE_AVAIL, AttrBit.SPACE_FREE, AttrBit.SPACE_TOTAL, AttrBit.SPACE_USED,
        AttrBit.TIME_ACCESS, AttrBit.TIME_DELTA, AttrBit.TIME_METADATA, AttrBit.TIME_MODIFY,
        AttrBit.MOUNTED_ON_FILEID};

    @Test
    void getattr_theAttributesLinuxAsksFor_withNumericOwners() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        Map<Integer, Object> a = user.attrs(fh, LINUX_ATTRS);

        assertThat(a.keySet()).containsExactlyInAnyOrder(java.util.Arrays.stream(LINUX_ATTRS).boxed().toArray(Integer[]::new));
        int[] supported = (int[]) a.get(AttrBit.SUPPORTED_ATTRS);
        for (int bit : LINUX_ATTRS) {
            assertThat(Bitmap.isSet(supported, bit)).as("supported_attrs has %d", bit).isTrue();
        }
        assertThat(a.get(AttrBit.TYPE)).isEqualTo(NF4REG);
        assertThat(a.get(AttrBit.SIZE)).isEqualTo((long) HELLO.length);
        assertThat(a.get(AttrBit.MODE)).isEqualTo(0644);
        assertThat(a.get(AttrBit.NUMLINKS)).isEqualTo(1);
        assertThat(a.get(AttrBit.OWNER)).isEqualTo("1000");
        assertThat(a.get(AttrBit.OWNER_GROUP)).isEqualTo("1000");
        assertThat(a.get(AttrBit.LINK_SUPPORT)).isEqualTo(true);
        assertThat(a.get(AttrBit.SYMLINK_SUPPORT)).isEqualTo(true);
        assertThat(a.get(AttrBit.CASE_INSENSITIVE)).isEqualTo(false);
        assertThat(a.get(AttrBit.CASE_PRESERVING)).isEqualTo(true);
        assertThat((Integer) a.get(AttrBit.LEASE_TIME)).isPositive();
        assertThat((Long) a.get(AttrBit.MAXREAD)).isGreaterThanOrEqualTo(1 << 20);
        assertThat((Long) a.get(AttrBit.MAXWRITE)).isGreaterThanOrEqualTo(1 << 20);
        assertThat((Long) a.get(AttrBit.MAXFILESIZE)).isPositive();
        assertThat((Long) a.get(AttrBit.SPACE_TOTAL)).isGreaterThanOrEqualTo((Long) a.get(AttrBit.SPACE_FREE));
        assertThat(a.get(AttrBit.MOUNTED_ON_FILEID)).isEqualTo(a.get(AttrBit.FILEID));
        assertThat((int[]) a.get(AttrBit.RAWDEV)).containsExactly(0, 0);

        Map<Integer, Object> root = user.attrs(user.fh("/"), AttrBit.TYPE, AttrBit.FSID, AttrBit.FILEID, AttrBit.OWNER);
        assertThat(root.get(AttrBit.TYPE)).isEqualTo(NF4DIR);
        assertThat((long[]) root.get(AttrBit.FSID)).containsExactly(((long[]) a.get(AttrBit.FSID)));
        assertThat(root.get(AttrBit.FILEID)).isNotEqualTo(a.get(AttrBit.FILEID));
        assertThat(root.get(AttrBit.OWNER)).isEqualTo("0");
    }

    @Test
    void filehandleOperations_putRootPubFh_getFh_saveRestore_lookupLookupp() throws Exception {
        Nfs user = nfs.user();
        byte[] dir = user.mkdir("/d", 0755);
        byte[] file = user.writeFile("/d/f", HELLO);
        byte[] root = user.fh("/");

        assertThat(user.last(GetFhResult.class, PUTPUBFH, GETFH).fh()).as("public = root").isEqualTo(root);
        assertThat(user.last(GetFhResult.class, putfh(file), GETFH).fh()).isEqualTo(file);
        assertThat(user.status(putfh(file), LOOKUPP)).as("RFC 8881 §18.14").isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
        assertThat(user.last(GetFhResult.class, putfh(dir), LOOKUPP, GETFH).fh()).isEqualTo(root);
        assertThat(user.last(GetFhResult.class, putfh(dir), SAVEFH, PUTROOTFH, RESTOREFH, GETFH).fh()).isEqualTo(dir);
        assertThat(user.status(PUTROOTFH, RESTOREFH)).as("nothing saved").isEqualTo(NfsStatus.NFS4ERR_RESTOREFH);
        assertThat(user.status(GETFH)).isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
        assertThat(user.status(path("/d/missing"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(user.status(putfh(file), LookupArgs.of("x"))).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }

    @Test
    void setattr_modeSizeTimes_byOwner_andOwnerByRootOnly() throws Exception {
        Nfs user = nfs.user();
        Nfs root = nfs.root();
        byte[] fh = user.writeFile("/f", HELLO);
        Instant t = Instant.parse("2020-02-03T04:05:06.000000007Z");

        user.ok(putfh(fh), new SetattrArgs(StateId.ANONYMOUS,
                Fattr.builder().size(5).mode(0600).atime(t).mtime(t).build()));
        Map<Integer, Object> a = user.attrs(fh, AttrBit.SIZE, AttrBit.MODE, AttrBit.TIME_ACCESS, AttrBit.TIME_MODIFY);
        assertThat(a.get(AttrBit.SIZE)).isEqualTo(5L);
        assertThat(a.get(AttrBit.MODE)).isEqualTo(0600);
        assertThat(a.get(AttrBit.TIME_ACCESS)).isEqualTo(NfsTime.of(t));
        assertThat(a.get(AttrBit.TIME_MODIFY)).isEqualTo(NfsTime.of(t));
        assertThat(user.read(fh)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));

        Fattr4 chown = Fattr.builder().owner("2000").ownerGroup("2000").build();
        assertThat(user.status(putfh(fh), new SetattrArgs(StateId.ANONYMOUS, chown))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        root.ok(putfh(fh), new SetattrArgs(StateId.ANONYMOUS, chown));
        Map<Integer, Object> owned = root.attrs(fh, AttrBit.OWNER, AttrBit.OWNER_GROUP);
        assertThat(owned.get(AttrBit.OWNER)).isEqualTo("2000");
        assertThat(owned.get(AttrBit.OWNER_GROUP)).isEqualTo("2000");
        assertThat(user.status(putfh(fh), new SetattrArgs(StateId.ANONYMOUS, Fattr.mode(0777))))
                .as("no longer the owner").isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(root.status(putfh(fh), new SetattrArgs(StateId.ANONYMOUS,
                Fattr.builder().owner("alice@example.com").build()))).isEqualTo(NfsStatus.NFS4ERR_BADOWNER);
    }

    @Test
    void access_reportsWhatTheCallerMayDo() throws Exception {
        Nfs user = nfs.user();
        Nfs root = nfs.root();
        byte[] mine = user.writeFile("/mine", HELLO);
        byte[] rootsFile = root.writeFile("/roots", HELLO); // 0644 owned by root
        int all = Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;

        AccessResult m = user.last(AccessResult.class, putfh(mine), new AccessArgs(all));
        assertThat(m.supported()).isEqualTo(all);
        assertThat(m.access()).isEqualTo(Access.READ | Access.MODIFY | Access.EXTEND);
        AccessResult r = user.last(AccessResult.class, putfh(rootsFile), new AccessArgs(all));
        assertThat(r.access()).isEqualTo(Access.READ);
    }

    @Test
    void readdir_300Entries_pagedWithSmallMaxcount_eachExactlyOnce() throws Exception {
        Nfs user = nfs.user();
        byte[] dir = user.mkdir("/big", 0755);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 300; i += 30) { // 30 CREATEs per COMPOUND
            List<Object> ops = new ArrayList<>();
            ops.add(putfh(dir));
            for (int j = i; j < i + 30; j++) {
                String name = "entry-" + j;
                expected.add(name);
                ops.add(CreateArgs.directory(name, Fattr.mode(0755)));
                ops.add(putfh(dir));
            }
            user.ok(ops.toArray());
        }

        List<String> seen = new ArrayList<>();
        long cookie = 0;
        byte[] verifier = new byte[ReaddirArgs.VERIFIER_SIZE];
        int pages = 0;
        for (boolean eof = false; !eof; pages++) {
            assertThat(pages).as("pages").isLessThan(400);
            ReaddirResult page = user.last(ReaddirResult.class, putfh(dir),
                    new ReaddirArgs(cookie, verifier, 512, 1024, Bitmap.of(AttrBit.TYPE, AttrBit.FILEID)));
            assertThat(page.entries()).isNotEmpty();
            for (ReaddirResult.Entry e : page.entries()) {
                seen.add(e.name());
                assertThat(Fattr.decode(e.attrs()).get(AttrBit.TYPE)).isEqualTo(NF4DIR);
                cookie = e.cookie();
            }
            verifier = page.cookieVerf();
            eof = page.eof();
        }
        assertThat(pages).as("small maxcount pages").isGreaterThan(5);
        assertThat(seen).hasSize(300).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(user.status(putfh(dir), new ReaddirArgs(0, verifier, 512, 16, Bitmap.of(AttrBit.TYPE))))
                .isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
        assertThat(user.status(putfh(dir), new ReaddirArgs(cookie, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 512, 1024,
                Bitmap.of(AttrBit.TYPE)))).as("another cookie verifier").isEqualTo(NfsStatus.NFS4ERR_NOT_SAME);
        assertThat(user.status(putfh(dir), new ReaddirArgs(1, verifier, 512, 1024, Bitmap.of(AttrBit.TYPE))))
                .as("reserved cookie").isEqualTo(NfsStatus.NFS4ERR_BAD_COOKIE);
    }

    @Test
    void create_everyType_withTheRightTypeAndRawdev() throws Exception {
        Nfs user = nfs.user();
        Nfs root = nfs.root();
        byte[] dir = user.mkdir("/types", 0777);
        user.ok(putfh(dir), CreateArgs.symlink("link", "target/path", Fattr.mode(0777)));
        user.ok(putfh(dir), CreateArgs.special(CreateArgs.NF4FIFO, 0, 0, "fifo", Fattr.mode(0644)));
        user.ok(putfh(dir), CreateArgs.special(CreateArgs.NF4SOCK, 0, 0, "sock", Fattr.mode(0644)));
        root.ok(putfh(dir), CreateArgs.special(CreateArgs.NF4CHR, 1, 3, "chr", Fattr.mode(0666)));
        root.ok(putfh(dir), CreateArgs.special(CreateArgs.NF4BLK, 8, 1, "blk", Fattr.mode(0660)));

        assertThat(type(user, "/types/d0")).isNull();
        user.mkdir("/types/d0", 0700);
        assertThat(type(user, "/types/d0")).isEqualTo(CreateArgs.NF4DIR);
        assertThat(type(user, "/types/link")).isEqualTo(CreateArgs.NF4LNK);
        assertThat(type(user, "/types/fifo")).isEqualTo(CreateArgs.NF4FIFO);
        assertThat(type(user, "/types/sock")).isEqualTo(CreateArgs.NF4SOCK);
        assertThat(type(user, "/types/chr")).isEqualTo(CreateArgs.NF4CHR);
        assertThat(type(user, "/types/blk")).isEqualTo(CreateArgs.NF4BLK);
        assertThat((int[]) user.attrs(user.fh("/types/chr"), AttrBit.RAWDEV).get(AttrBit.RAWDEV)).containsExactly(1, 3);
        assertThat((int[]) user.attrs(user.fh("/types/blk"), AttrBit.RAWDEV).get(AttrBit.RAWDEV)).containsExactly(8, 1);
        assertThat(user.last(ReadlinkResult.class, path("/types/link"), READLINK).link()).isEqualTo("target/path");

        assertThat(user.status(putfh(dir), CreateArgs.directory("d0", Fattr.mode(0700)))).isEqualTo(NfsStatus.NFS4ERR_EXIST);
        assertThat(user.status(putfh(dir), CreateArgs.special(CreateArgs.NF4CHR, 1, 3, "chr2", Fattr.mode(0666))))
                .as("devices need root").isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(user.status(path("/types/d0"), READLINK)).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    private static Integer type(Nfs c, String path) throws Exception {
        CompoundReply r = c.call(path(path), getattr(AttrBit.TYPE));
        if (r.status() == NfsStatus.NFS4ERR_NOENT) {
            return null;
        }
        return (Integer) Fattr.decode(r.result(r.results().size() - 1, GetattrResult.class).attrs()).get(AttrBit.TYPE);
    }

    @Test
    void removeRenameLink_changeTheNamespace() throws Exception {
        Nfs user = nfs.user();
        byte[] a = user.mkdir("/a", 0755);
        byte[] b = user.mkdir("/b", 0755);
        byte[] f = user.writeFile("/a/f", HELLO);

        user.ok(putfh(a), SAVEFH, putfh(b), new RenameArgs("f".getBytes(StandardCharsets.UTF_8),
                "g".getBytes(StandardCharsets.UTF_8)));
        assertThat(user.status(path("/a/f"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(user.fh("/b/g")).as("rename keeps the handle").isEqualTo(f);

        user.ok(putfh(f), SAVEFH, putfh(a), LinkArgs.of("hard"));
        assertThat(user.fh("/a/hard")).isEqualTo(f);
        assertThat(user.attrs(f, AttrBit.NUMLINKS).get(AttrBit.NUMLINKS)).isEqualTo(2);
        assertThat(user.status(putfh(a), SAVEFH, putfh(a), LinkArgs.of("dirlink"))).isEqualTo(NfsStatus.NFS4ERR_ISDIR);

        user.ok(putfh(b), RemoveArgs.of("g"));
        assertThat(user.attrs(f, AttrBit.NUMLINKS).get(AttrBit.NUMLINKS)).isEqualTo(1);
        assertThat(user.read(f)).isEqualTo(HELLO);
        assertThat(user.status(putfh(b), RemoveArgs.of("g"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(user.status(PUTROOTFH, RemoveArgs.of("a"))).isEqualTo(NfsStatus.NFS4ERR_NOTEMPTY);
        user.ok(putfh(a), RemoveArgs.of("hard"));
        user.ok(PUTROOTFH, RemoveArgs.of("a"));
        assertThat(user.status(putfh(a), GETFH, getattr(AttrBit.TYPE))).isEqualTo(NfsStatus.NFS4ERR_STALE);
    }

    @Test
    void verifyAndNverify_compareWithTheServersAttributes() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        Fattr4 rightSize = Fattr.builder().size(HELLO.length).build();
        Fattr4 wrongSize = Fattr.builder().size(1).build();

        user.ok(putfh(fh), new VerifyArgs(Opcode.VERIFY, rightSize), GETFH);
        assertThat(user.status(putfh(fh), new VerifyArgs(Opcode.VERIFY, wrongSize))).isEqualTo(NfsStatus.NFS4ERR_NOT_SAME);
        user.ok(putfh(fh), new VerifyArgs(Opcode.NVERIFY, wrongSize), GETFH);
        assertThat(user.status(putfh(fh), new VerifyArgs(Opcode.NVERIFY, rightSize))).isEqualTo(NfsStatus.NFS4ERR_SAME);
    }

    @Test
    void secinfoAndSecinfoNoName_offerAuthSys_andConsumeTheFilehandle() throws Exception {
        Nfs user = nfs.user();
        user.writeFile("/f", HELLO);
        assertThat(user.last(SecinfoResult.class, PUTROOTFH, SecinfoArgs.of("f")).flavors())
                .contains(SecinfoResult.AUTH_SYS);
        assertThat(user.status(PUTROOTFH, SecinfoArgs.of("nothing"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(user.last(SecinfoResult.class, PUTROOTFH, new SecinfoNoNameArgs(SecinfoNoNameArgs.CURRENT_FH))
                .flavors()).contains(SecinfoResult.AUTH_SYS);
        assertThat(user.status(PUTROOTFH, new SecinfoNoNameArgs(SecinfoNoNameArgs.CURRENT_FH), GETFH))
                .as("RFC 8881 §2.6.3.1.1.8: SECINFO consumes the current filehandle")
                .isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
        assertThat(user.status(PUTROOTFH, new SecinfoNoNameArgs(SecinfoNoNameArgs.PARENT)))
                .as("the root has no parent").isEqualTo(NfsStatus.NFS4ERR_NOENT);
    }
}

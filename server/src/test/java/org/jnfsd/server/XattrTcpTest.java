package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.putfh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.fs.Access;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.AccessArgs;
import org.jnfsd.protocol.nfs4.namespace.AccessResult;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfoResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.xattr.GetxattrArgs;
import org.jnfsd.protocol.nfs4.xattr.GetxattrResult;
import org.jnfsd.protocol.nfs4.xattr.ListxattrsArgs;
import org.jnfsd.protocol.nfs4.xattr.ListxattrsResult;
import org.jnfsd.protocol.nfs4.xattr.RemovexattrArgs;
import org.jnfsd.protocol.nfs4.xattr.SetxattrArgs;
import org.jnfsd.protocol.nfs4.xattr.SetxattrOption;
import org.jnfsd.vfs.ForwardingFileSystem;
import org.jnfsd.vfs.VirtualFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extended attributes (RFC 8276) over real TCP through the Java client, on the memory backend
 * unless a test says otherwise: each operation's answers, the limits, the access rules and the
 * xattr_support attribute.
 */
class XattrTcpTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final int XA_ALL = Access.XAREAD | Access.XAWRITE | Access.XALIST;

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SetxattrArgs set(SetxattrOption option, String name, String value) {
        return SetxattrArgs.of(option, name, bytes(value));
    }

    private static NfsStatus last(CompoundReply r) {
        return r.results().getLast().status();
    }

    @Test
    void setGetListRemove_roundTrip() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);

        user.ok(putfh(fh), set(SetxattrOption.EITHER, "colour", "blue"));
        user.ok(putfh(fh), set(SetxattrOption.EITHER, "empty", ""));
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("colour")).value()).isEqualTo(bytes("blue"));
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("empty")).value()).isEmpty();
        ListxattrsResult list = user.last(ListxattrsResult.class, putfh(fh), new ListxattrsArgs(0, 4096));
        assertThat(list.names()).containsExactly("colour", "empty");
        assertThat(list.eof()).isTrue();
        assertThat(list.cookie()).isEqualTo(2);

        user.ok(putfh(fh), RemovexattrArgs.of("colour"));
        assertThat(last(user.call(putfh(fh), GetxattrArgs.of("colour")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
        assertThat(user.last(ListxattrsResult.class, putfh(fh), new ListxattrsArgs(0, 4096)).names())
                .containsExactly("empty");
    }

    @Test
    void setxattr_options_createExistingIsExist_replaceMissingIsNoxattr() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);

        assertThat(last(user.call(putfh(fh), set(SetxattrOption.REPLACE, "a", "1")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
        user.ok(putfh(fh), set(SetxattrOption.CREATE, "a", "1"));
        assertThat(last(user.call(putfh(fh), set(SetxattrOption.CREATE, "a", "2")))).isEqualTo(NfsStatus.NFS4ERR_EXIST);
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("a")).value()).isEqualTo(bytes("1"));
        user.ok(putfh(fh), set(SetxattrOption.REPLACE, "a", "3"));
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("a")).value()).isEqualTo(bytes("3"));
        user.ok(putfh(fh), set(SetxattrOption.EITHER, "a", "4"));
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("a")).value()).isEqualTo(bytes("4"));
    }

    @Test
    void missingAttribute_getAndRemove_noxattr() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        assertThat(last(user.call(putfh(fh), GetxattrArgs.of("nothing")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
        assertThat(last(user.call(putfh(fh), RemovexattrArgs.of("nothing")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
    }

    @Test
    void setAndRemove_changeInfoAndChangeAttributeMove() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        long before = (Long) user.attrs(fh, AttrBit.CHANGE).get(AttrBit.CHANGE);

        ChangeInfoResult set = user.last(ChangeInfoResult.class, putfh(fh), set(SetxattrOption.EITHER, "k", "v"));
        assertThat(set.cinfo().before()).isEqualTo(before);
        assertThat(set.cinfo().after()).isGreaterThan(before);
        long afterSet = (Long) user.attrs(fh, AttrBit.CHANGE).get(AttrBit.CHANGE);
        assertThat(afterSet).isEqualTo(set.cinfo().after());

        ChangeInfoResult removed = user.last(ChangeInfoResult.class, putfh(fh), RemovexattrArgs.of("k"));
        assertThat(removed.cinfo().before()).isEqualTo(afterSet);
        assertThat((Long) user.attrs(fh, AttrBit.CHANGE).get(AttrBit.CHANGE)).isGreaterThan(afterSet);
    }

    @Test
    void limits_value64KiB_ok_oneMoreIsXattr2big_name250Bytes_ok_251IsNametoolong_emptyIsInval() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        byte[] max = new byte[65536];
        Arrays.fill(max, (byte) 7);

        user.ok(putfh(fh), SetxattrArgs.of(SetxattrOption.EITHER, "big", max));
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("big")).value()).isEqualTo(max);
        assertThat(last(user.call(putfh(fh), SetxattrArgs.of(SetxattrOption.EITHER, "bigger", new byte[65537]))))
                .isEqualTo(NfsStatus.NFS4ERR_XATTR2BIG);

        String name250 = "n".repeat(250);
        user.ok(putfh(fh), set(SetxattrOption.EITHER, name250, "v"));
        assertThat(user.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of(name250)).value()).isEqualTo(bytes("v"));
        assertThat(last(user.call(putfh(fh), set(SetxattrOption.EITHER, "n".repeat(251), "v"))))
                .isEqualTo(NfsStatus.NFS4ERR_NAMETOOLONG);
        assertThat(last(user.call(putfh(fh), GetxattrArgs.of("n".repeat(251))))).isEqualTo(NfsStatus.NFS4ERR_NAMETOOLONG);
        assertThat(last(user.call(putfh(fh), set(SetxattrOption.EITHER, "", "v")))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(last(user.call(putfh(fh), new GetxattrArgs(new byte[] {(byte) 0xff, 'x'}))))
                .as("not UTF-8").isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void getxattr_valueLargerThanTheSessionsReplies_isXattr2big_fitsAloneButNotWithTheRest_isRepTooBig()
            throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        int maxReply = 16 * 1024;
        user.ok(putfh(fh), SetxattrArgs.of(SetxattrOption.EITHER, "over", new byte[maxReply]));
        user.ok(putfh(fh), SetxattrArgs.of(SetxattrOption.EITHER, "edge", new byte[maxReply - 8]));
        user.ok(putfh(fh), SetxattrArgs.of(SetxattrOption.EITHER, "small", new byte[4096]));
        ManualSession s = ManualSession.create(user,
                new org.jnfsd.protocol.nfs4.session.ChannelAttrs(0, 64 * 1024, maxReply, 4 * 1024, 8, 4, null));

        CompoundReply over = s.call(1, 1, false, putfh(fh), GetxattrArgs.of("over"));
        assertThat(over.status()).as("knfsd: a value past the reply size is XATTR2BIG")
                .isEqualTo(NfsStatus.NFS4ERR_XATTR2BIG);
        CompoundReply edge = s.call(1, 2, false, putfh(fh), GetxattrArgs.of("edge"));
        assertThat(edge.status()).as("the value alone fits; with SEQUENCE and PUTFH it does not")
                .isEqualTo(NfsStatus.NFS4ERR_REP_TOO_BIG);
        CompoundReply small = s.call(1, 3, false, putfh(fh), GetxattrArgs.of("small"));
        assertThat(small.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(small.result(2, GetxattrResult.class).value()).hasSize(4096);
    }

    @Test
    void listxattrs_pagedByMaxcount_cookiesResume_tooSmallAndBadCookie() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        List<String> names = List.of("a1", "a2", "a3", "a4", "a5");
        for (String n : names) {
            user.ok(putfh(fh), set(SetxattrOption.CREATE, n, n));
        }
        // 16 bytes of cookie, count and eof, 8 per two-letter name: room for two names
        int twoNames = ListxattrsResult.EMPTY_SIZE + 2 * 8;
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        for (int page = 0; page < 10; page++) {
            ListxattrsResult r = user.last(ListxattrsResult.class, putfh(fh), new ListxattrsArgs(cookie, twoNames));
            assertThat(r.names().size()).isBetween(1, 2);
            seen.addAll(r.names());
            cookie = r.cookie();
            if (r.eof()) {
                break;
            }
        }
        assertThat(seen).containsExactlyElementsOf(names);
        assertThat(cookie).isEqualTo(5);

        ListxattrsResult end = user.last(ListxattrsResult.class, putfh(fh), new ListxattrsArgs(5, 4096));
        assertThat(end.names()).isEmpty();
        assertThat(end.eof()).isTrue();
        assertThat(last(user.call(putfh(fh), new ListxattrsArgs(0, twoNames - 9))))
                .as("not one name fits").isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
        assertThat(last(user.call(putfh(fh), new ListxattrsArgs(6, 4096)))).isEqualTo(NfsStatus.NFS4ERR_BAD_COOKIE);
    }

    @Test
    void minorVersion1_xattrOperationsAreIllegal_andNoXattrSupportAttribute() throws Exception {
        byte[] fh = nfs.user().writeFile("/f", HELLO);
        Nfs v41 = nfs.client(NfsServerFixture.USER, 1);
        assertThat(last(v41.call(putfh(fh), GetxattrArgs.of("a")))).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL);
        int[] supported = (int[]) v41.attrs(fh, AttrBit.SUPPORTED_ATTRS).get(AttrBit.SUPPORTED_ATTRS);
        assertThat(Bitmap.isSet(supported, AttrBit.XATTR_SUPPORT)).isFalse();
        for (int bit : new int[] {Access.XAREAD, Access.XAWRITE, Access.XALIST}) {
            assertThat(last(v41.call(putfh(fh), new AccessArgs(Access.READ | bit))))
                    .as("RFC 8276 defines bit %x for minor version 2 only (knfsd: INVAL)", bit)
                    .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        }
        assertThat(v41.last(AccessResult.class, putfh(fh), new AccessArgs(Access.READ)).access())
                .isEqualTo(Access.READ);
    }

    @Test
    void xattrSupport_trueOverMemoryBackend_inSupportedAttrs() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        Map<Integer, Object> a = user.attrs(fh, AttrBit.SUPPORTED_ATTRS, AttrBit.XATTR_SUPPORT);
        assertThat(Bitmap.isSet((int[]) a.get(AttrBit.SUPPORTED_ATTRS), AttrBit.XATTR_SUPPORT)).isTrue();
        assertThat(a.get(AttrBit.XATTR_SUPPORT)).isEqualTo(true);
    }

    @Test
    void backendWithoutXattrs_notsupp_xattrSupportFalse_accessBitsUnsupported() throws Exception {
        nfs.wrap(fs -> new ForwardingFileSystem(fs) {
            @Override
            public boolean xattrSupport() {
                return false;
            }
        });
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        assertThat(user.attrs(fh, AttrBit.XATTR_SUPPORT).get(AttrBit.XATTR_SUPPORT)).isEqualTo(false);
        assertThat(last(user.call(putfh(fh), set(SetxattrOption.EITHER, "a", "1")))).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(last(user.call(putfh(fh), GetxattrArgs.of("a")))).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(last(user.call(putfh(fh), new ListxattrsArgs(0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(last(user.call(putfh(fh), RemovexattrArgs.of("a")))).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        AccessResult a = user.last(AccessResult.class, putfh(fh), new AccessArgs(Access.READ | XA_ALL));
        assertThat(a.supported()).isEqualTo(Access.READ);
    }

    @Test
    void access_xattrBits_followReadAndWritePermission() throws Exception {
        Nfs user = nfs.user();
        Nfs root = nfs.root();
        byte[] mine = user.writeFile("/mine", HELLO);
        byte[] roots = root.writeFile("/roots", HELLO); // 0644, owned by root

        AccessResult m = user.last(AccessResult.class, putfh(mine), new AccessArgs(XA_ALL));
        assertThat(m.supported()).isEqualTo(XA_ALL);
        assertThat(m.access()).isEqualTo(XA_ALL);
        AccessResult r = user.last(AccessResult.class, putfh(roots), new AccessArgs(XA_ALL));
        assertThat(r.supported()).isEqualTo(XA_ALL);
        assertThat(r.access()).isEqualTo(Access.XAREAD | Access.XALIST);
    }

    @Test
    void permissions_othersFile_setIsAccess_readOfUnreadableIsAccess() throws Exception {
        Nfs user = nfs.user();
        Nfs root = nfs.root();
        byte[] roots = root.writeFile("/roots", HELLO); // 0644
        root.ok(putfh(roots), set(SetxattrOption.EITHER, "k", "v"));
        assertThat(user.last(GetxattrResult.class, putfh(roots), GetxattrArgs.of("k")).value()).isEqualTo(bytes("v"));
        assertThat(last(user.call(putfh(roots), set(SetxattrOption.EITHER, "k", "w")))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(last(user.call(putfh(roots), RemovexattrArgs.of("k")))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);

        root.ok(putfh(roots), new org.jnfsd.protocol.nfs4.namespace.SetattrArgs(
                org.jnfsd.protocol.nfs4.StateId.ANONYMOUS, Fattr.mode(0600)));
        assertThat(last(user.call(putfh(roots), GetxattrArgs.of("k")))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(last(user.call(putfh(roots), new ListxattrsArgs(0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void stickyDirectory_ofAnotherOwner_setIsPerm() throws Exception {
        Nfs root = nfs.root();
        Nfs user = nfs.user();
        byte[] dir = root.mkdir("/sticky", 01777);
        assertThat(last(user.call(putfh(dir), set(SetxattrOption.EITHER, "k", "v")))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        root.ok(putfh(dir), set(SetxattrOption.EITHER, "k", "v"));
        assertThat(user.last(GetxattrResult.class, putfh(dir), GetxattrArgs.of("k")).value()).isEqualTo(bytes("v"));
    }

    @Test
    void readOnlyExport_setAndRemoveAreRofs_getStillWorks_xawriteNotGranted() throws Exception {
        nfs.rules("*(ro,no_root_squash)");
        Nfs root = nfs.root();
        byte[] rootFh = root.fh("/");
        assertThat(last(root.call(putfh(rootFh), set(SetxattrOption.EITHER, "k", "v")))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(last(root.call(putfh(rootFh), RemovexattrArgs.of("k")))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(last(root.call(putfh(rootFh), GetxattrArgs.of("k")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
        AccessResult a = root.last(AccessResult.class, putfh(rootFh), new AccessArgs(XA_ALL));
        assertThat(a.access()).isEqualTo(Access.XAREAD | Access.XALIST);
    }

    @Test
    void symlink_memoryBackend_setIsPerm_getIsNoxattr() throws Exception {
        Nfs user = nfs.user();
        byte[] dir = user.fh("/");
        byte[] link = user.last(org.jnfsd.protocol.nfs4.namespace.GetFhResult.class, putfh(dir),
                org.jnfsd.protocol.nfs4.namespace.CreateArgs.symlink("l", "target", Fattr.mode(0777)), Nfs.GETFH).fh();
        assertThat(last(user.call(putfh(link), set(SetxattrOption.EITHER, "k", "v")))).isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(last(user.call(putfh(link), GetxattrArgs.of("k")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
    }

    @Test
    void localBackend_roundTrip_storedAsUserNamespace_onTheFileItself() throws Exception {
        nfs.local(tmp);
        Nfs root = nfs.root();
        byte[] fh = root.writeFile("/f", HELLO);
        assertThat(root.attrs(fh, AttrBit.XATTR_SUPPORT).get(AttrBit.XATTR_SUPPORT)).isEqualTo(true);

        root.ok(putfh(fh), set(SetxattrOption.CREATE, "colour", "blue"));
        var view = Files.getFileAttributeView(tmp.resolve("f"), java.nio.file.attribute.UserDefinedFileAttributeView.class);
        assertThat(view.list()).as("Java's view strips user.").containsExactly("colour");
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
        view.read("colour", buf);
        assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo("blue");

        assertThat(root.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("colour")).value()).isEqualTo(bytes("blue"));
        assertThat(last(root.call(putfh(fh), set(SetxattrOption.CREATE, "colour", "red")))).isEqualTo(NfsStatus.NFS4ERR_EXIST);
        assertThat(last(root.call(putfh(fh), set(SetxattrOption.REPLACE, "shape", "round"))))
                .isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
        assertThat(root.last(ListxattrsResult.class, putfh(fh), new ListxattrsArgs(0, 4096)).names())
                .containsExactly("colour");
        long before = (Long) root.attrs(fh, AttrBit.CHANGE).get(AttrBit.CHANGE);
        ChangeInfoResult removed = root.last(ChangeInfoResult.class, putfh(fh), RemovexattrArgs.of("colour"));
        assertThat(removed.cinfo().after()).isGreaterThan(before);
        assertThat(view.list()).isEmpty();
        assertThat(last(root.call(putfh(fh), GetxattrArgs.of("colour")))).isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
    }

    @Test
    void localBackend_symlink_neverFollowed_targetUntouched() throws Exception {
        nfs.local(tmp);
        Nfs root = nfs.root();
        byte[] target = root.writeFile("/target", HELLO);
        root.ok(putfh(target), set(SetxattrOption.EITHER, "k", "target's"));
        Files.createSymbolicLink(tmp.resolve("l"), Path.of("target"));
        byte[] link = root.fh("/l");

        assertThat(last(root.call(putfh(link), GetxattrArgs.of("k"))))
                .as("the link's own attributes, not the target's").isEqualTo(NfsStatus.NFS4ERR_NOXATTR);
        assertThat(last(root.call(putfh(link), set(SetxattrOption.EITHER, "k", "link's"))))
                .as("Linux takes no user attributes on a symlink").isEqualTo(NfsStatus.NFS4ERR_PERM);
        assertThat(root.last(ListxattrsResult.class, putfh(link), new ListxattrsArgs(0, 4096)).names()).isEmpty();
        assertThat(root.last(GetxattrResult.class, putfh(target), GetxattrArgs.of("k")).value())
                .isEqualTo(bytes("target's"));
    }

    /** A real file system without user attributes: devpts answers EOPNOTSUPP (skipped where it does not). */
    static Path noXattrDir() {
        Path pts = Path.of("/dev/pts");
        try {
            Files.getFileAttributeView(pts, java.nio.file.attribute.UserDefinedFileAttributeView.class).size("jnfsd.probe");
        } catch (java.io.IOException e) {
            if (String.valueOf(e.getMessage()).contains("Operation not supported")) {
                return pts;
            }
        }
        org.junit.jupiter.api.Assumptions.abort("/dev/pts takes user extended attributes here");
        return null;
    }

    @Test
    void localBackend_fileSystemWithoutUserXattrs_xattrSupportFalse_notsupp() throws Exception {
        nfs.local(noXattrDir());
        Nfs root = nfs.root();
        byte[] fh = root.fh("/");
        assertThat(root.attrs(fh, AttrBit.XATTR_SUPPORT).get(AttrBit.XATTR_SUPPORT)).isEqualTo(false);
        assertThat(last(root.call(putfh(fh), GetxattrArgs.of("a")))).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(last(root.call(putfh(fh), new ListxattrsArgs(0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(root.last(AccessResult.class, putfh(fh), new AccessArgs(Access.READ | XA_ALL)).supported() & XA_ALL)
                .isZero();
    }

    @Test
    void duringGrace_setAndRemoveAreGrace_getAndListWork() throws Exception {
        org.jnfsd.core.recovery.InMemoryRecoveryStore store = new org.jnfsd.core.recovery.InMemoryRecoveryStore();
        store.record(new org.jnfsd.core.recovery.ReclaimableClient(bytes("a client of the last boot"), ""));
        org.jnfsd.vfs.memory.MemoryFileSystem fs = new org.jnfsd.vfs.memory.MemoryFileSystem(java.time.Clock.systemUTC(),
                org.jnfsd.vfs.memory.MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        fs.setxattr(fs.root(), "k", bytes("v"), org.jnfsd.vfs.XattrMode.EITHER);
        try (JnfsdServer server = JnfsdServer.builder().export(new org.jnfsd.core.fs.Export(1, "/", fs))
                .clock(new org.jnfsd.core.time.ManualClock()).recoveryStore(store).port(0).build()) {
            java.net.InetSocketAddress address = server.start();
            assertThat(server.context().grace().inGrace()).isTrue();
            try (Nfs root = Nfs.connect(address, 2, NfsServerFixture.ROOT)) {
                byte[] fh = root.fh("/");
                assertThat(last(root.call(putfh(fh), set(SetxattrOption.EITHER, "k", "w")))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
                assertThat(last(root.call(putfh(fh), RemovexattrArgs.of("k")))).isEqualTo(NfsStatus.NFS4ERR_GRACE);
                assertThat(root.last(GetxattrResult.class, putfh(fh), GetxattrArgs.of("k")).value()).isEqualTo(bytes("v"));
                assertThat(root.last(ListxattrsResult.class, putfh(fh), new ListxattrsArgs(0, 4096)).names())
                        .containsExactly("k");
            }
        }
    }

    @Test
    void overLongNameOrValue_refusedBeforeTheBackendIsAsked() throws Exception {
        java.util.concurrent.atomic.AtomicInteger backendCalls = new java.util.concurrent.atomic.AtomicInteger();
        nfs.wrap(fs -> new ForwardingFileSystem(fs) {
            @Override
            public void setxattr(org.jnfsd.vfs.Inode inode, String name, byte[] value, org.jnfsd.vfs.XattrMode mode)
                    throws org.jnfsd.vfs.VfsException {
                backendCalls.incrementAndGet();
                super.setxattr(inode, name, value, mode);
            }

            @Override
            public byte[] getxattr(org.jnfsd.vfs.Inode inode, String name) throws org.jnfsd.vfs.VfsException {
                backendCalls.incrementAndGet();
                return super.getxattr(inode, name);
            }
        });
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", HELLO);
        assertThat(last(user.call(putfh(fh), SetxattrArgs.of(SetxattrOption.EITHER, "v", new byte[65537]))))
                .isEqualTo(NfsStatus.NFS4ERR_XATTR2BIG);
        assertThat(last(user.call(putfh(fh), set(SetxattrOption.EITHER, "n".repeat(251), "v"))))
                .isEqualTo(NfsStatus.NFS4ERR_NAMETOOLONG);
        assertThat(last(user.call(putfh(fh), GetxattrArgs.of("n".repeat(251))))).isEqualTo(NfsStatus.NFS4ERR_NAMETOOLONG);
        assertThat(backendCalls).as("the server's own checks answered").hasValue(0);
    }
}

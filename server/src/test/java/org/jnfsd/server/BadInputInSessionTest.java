package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.GETFH;
import static org.jnfsd.server.Nfs.LOOKUPP;
import static org.jnfsd.server.Nfs.PUTROOTFH;
import static org.jnfsd.server.Nfs.READLINK;
import static org.jnfsd.server.Nfs.getattr;
import static org.jnfsd.server.Nfs.path;
import static org.jnfsd.server.Nfs.putfh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirArgs;
import org.jnfsd.protocol.nfs4.namespace.ReadlinkResult;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.rpc.RpcReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input inside a session, over real TCP: sequencing errors, retries (exactly once), stale and
 * forged filehandles, escapes from the export, permissions and root squash. After each, the same
 * connection and another one still serve. (Sessionless bad input: {@link BadInputTest}.)
 */
class BadInputInSessionTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @TempDir
    Path dir;

    private static final byte[] DATA = "secret".getBytes(StandardCharsets.UTF_8);

    /** {@code c}'s connection still works, and so does a new client's. */
    private void assertStillServing(Nfs c) throws Exception {
        c.ok(PUTROOTFH, GETFH);
        nfs.user().ok(PUTROOTFH, GETFH);
    }

    private static long change(Nfs c, byte[] fh) throws Exception {
        return (Long) c.attrs(fh, AttrBit.CHANGE).get(AttrBit.CHANGE);
    }

    @Test
    void retriedCreate_getsTheByteIdenticalCachedReply_andCreatesOnce() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        byte[] root = user.fh("/");

        RpcReply first = s.raw(1, 1, true, PUTROOTFH, CreateArgs.directory("once", Fattr.mode(0755)), GETFH);
        assertThat(ManualSession.decode(first).status()).isEqualTo(NfsStatus.NFS4_OK);
        long changeAfterFirst = change(user, root);

        RpcReply retry = s.raw(1, 1, true, PUTROOTFH, CreateArgs.directory("once", Fattr.mode(0755)), GETFH);
        assertThat(retry.results()).as("byte-identical cached reply").isEqualTo(first.results());
        assertThat(change(user, root)).as("not executed again").isEqualTo(changeAfterFirst);
        assertThat(s.call(1, 2, false, PUTROOTFH, CreateArgs.directory("once", Fattr.mode(0755))).status())
                .as("a new request does execute").isEqualTo(NfsStatus.NFS4ERR_EXIST);
        assertStillServing(user);
    }

    @Test
    void retriedRemove_getsTheCachedOk_notNoent() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        user.writeFile("/victim", DATA);
        user.writeFile("/bystander", DATA);

        RpcReply first = s.raw(2, 1, true, PUTROOTFH, RemoveArgs.of("victim"));
        assertThat(ManualSession.decode(first).status()).isEqualTo(NfsStatus.NFS4_OK);
        user.writeFile("/victim", DATA); // were the retry executed, it would remove this one
        RpcReply retry = s.raw(2, 1, true, PUTROOTFH, RemoveArgs.of("victim"));
        assertThat(retry.results()).isEqualTo(first.results());
        assertThat(user.read(user.fh("/victim"))).as("the new file survives the retry").isEqualTo(DATA);
        assertStillServing(user);
    }

    @Test
    void retryOfAnUncachedRequest_isRetryUncachedRep() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        RpcReply first = s.raw(3, 1, false, PUTROOTFH, CreateArgs.directory("uncached", Fattr4.EMPTY));
        assertThat(ManualSession.decode(first).status()).isEqualTo(NfsStatus.NFS4_OK);
        CompoundReply retry = s.call(3, 1, false, PUTROOTFH, CreateArgs.directory("uncached", Fattr4.EMPTY));
        assertThat(retry.status()).as("RFC 8881 §2.10.6.1.3").isEqualTo(NfsStatus.NFS4ERR_RETRY_UNCACHED_REP);
        assertStillServing(user);
    }

    @Test
    void badSlot_isBadslot() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        assertThat(s.call(s.slots(), 1, false, PUTROOTFH).status()).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
        assertThat(s.call(Integer.MAX_VALUE, 1, false, PUTROOTFH).status()).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
        assertThat(s.call(1, 1, false, PUTROOTFH).status()).as("the session is fine").isEqualTo(NfsStatus.NFS4_OK);
        assertStillServing(user);
    }

    @Test
    void misorderedSequenceId_isSeqMisordered() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        assertThat(s.call(4, 2, false, PUTROOTFH).status()).as("skips 1").isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(s.call(4, 1, false, PUTROOTFH).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(s.call(4, 0, false, PUTROOTFH).status()).as("older than the cached one")
                .isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(s.call(4, 3, false, PUTROOTFH).status()).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(s.call(4, 2, false, PUTROOTFH).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertStillServing(user);
    }

    @Test
    void sequenceNotFirst_isSequencePos() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        CompoundReply r = s.call(5, 1, false, new SequenceArgs(s.sessionId(), 2, 5, s.slots() - 1, false));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_SEQUENCE_POS);
        assertStillServing(user);
    }

    @Test
    void sessionLimits_tooManyOps_repTooBig_repTooBigToCache() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", new byte[64 * 1024]);
        ManualSession s = ManualSession.create(user, new ChannelAttrs(0, 64 * 1024, 16 * 1024, 4 * 1024, 4, 4, null));
        assertThat(s.call(1, 1, false, PUTROOTFH, GETFH, GETFH, GETFH, GETFH).status())
                .as("5 operations, 4 allowed").isEqualTo(NfsStatus.NFS4ERR_TOO_MANY_OPS);
        assertThat(s.call(2, 1, false, putfh(fh), new ReadArgs(StateId.ANONYMOUS, 0, 32 * 1024)).status())
                .isEqualTo(NfsStatus.NFS4ERR_REP_TOO_BIG);
        assertThat(s.call(3, 1, true, putfh(fh), new ReadArgs(StateId.ANONYMOUS, 0, 8 * 1024)).status())
                .isEqualTo(NfsStatus.NFS4ERR_REP_TOO_BIG_TO_CACHE);
        assertThat(s.call(3, 2, false, putfh(fh), new ReadArgs(StateId.ANONYMOUS, 0, 8 * 1024)).status())
                .as("uncached, it fits").isEqualTo(NfsStatus.NFS4_OK);
        assertStillServing(user);
    }

    @Test
    void oversizedArray_isBadXdr() throws Exception {
        Nfs user = nfs.user();
        ManualSession s = ManualSession.create(user);
        // SEQUENCE, then TEST_STATEID claiming a million stateids the record does not hold
        RpcReply reply = user.client().rawCall(out -> {
            out.writeUtf8("").writeInt(2).writeInt(2).writeInt(Opcode.SEQUENCE.code());
            new SequenceArgs(s.sessionId(), 1, 6, s.slots() - 1, false).encode(out);
            out.writeInt(Opcode.TEST_STATEID.code()).writeInt(1_000_000);
        });
        assertThat(ManualSession.decode(reply).status()).isEqualTo(NfsStatus.NFS4ERR_BADXDR);
        assertStillServing(user);
    }

    @Test
    void staleHandle_ofARemovedFile_isStale() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/gone", DATA);
        user.ok(PUTROOTFH, RemoveArgs.of("gone"));
        assertThat(user.status(putfh(fh), getattr(AttrBit.SIZE))).isEqualTo(NfsStatus.NFS4ERR_STALE);
        assertThat(user.status(putfh(fh), new ReadArgs(
                StateId.ANONYMOUS, 0, 10))).isEqualTo(NfsStatus.NFS4ERR_STALE);
        assertStillServing(user);
    }

    @Test
    void outsideTheExport_lookuppAtRoot_unknownExport_forgedHandle() throws Exception {
        Nfs user = nfs.user();
        byte[] file = user.writeFile("/f", DATA);
        assertThat(user.status(PUTROOTFH, LOOKUPP)).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(user.status(PUTROOTFH, LookupArgs.of(".."))).isEqualTo(NfsStatus.NFS4ERR_BADNAME);

        byte[] otherExport = file.clone();
        otherExport[4] = 99; // export id lives in bytes 1-4
        // an altered export id breaks the MAC: refused before any lookup
        assertThat(user.status(putfh(otherExport), getattr(AttrBit.TYPE))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        assertThat(user.status(putfh(new byte[] {7, 7, 7}))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        assertThat(user.status(putfh(new byte[129]))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        byte[] wrongVersion = file.clone();
        wrongVersion[0] = 42;
        assertThat(user.status(putfh(wrongVersion))).isEqualTo(NfsStatus.NFS4ERR_BADHANDLE);
        assertStillServing(user);
    }

    @Test
    void symlinkOutOfTheExport_isNeverFollowedByTheServer() throws Exception {
        nfs.local(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(dir.resolve("etc"), Path.of("/etc"));
        Nfs user = nfs.user();
        user.ok(PUTROOTFH, CreateArgs.symlink("up", "../../../../etc", Fattr4.EMPTY));

        for (String link : new String[] {"etc", "up"}) {
            assertThat(user.status(path("/" + link), LookupArgs.of("passwd"))).as(link).isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
            assertThat(user.status(PUTROOTFH, user.open(link, new OpenHow.NoCreate()))).as(link)
                    .isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
        }
        assertThat(user.last(ReadlinkResult.class, path("/etc"), READLINK).link()).isEqualTo("/etc");
        assertThat(user.attrs(user.fh("/etc"), AttrBit.TYPE)).as("the link itself, not /etc")
                .containsEntry(AttrBit.TYPE, CreateArgs.NF4LNK);
        assertThat(Files.isSymbolicLink(dir.resolve("up"))).isTrue();
        assertStillServing(user);
    }

    @Test
    void rootOwned0700Directory_deniesUid1000() throws Exception {
        Nfs root = nfs.root();
        Nfs user = nfs.user();
        root.mkdir("/private", 0700);
        root.writeFile("/private/f", DATA);

        assertThat(user.status(path("/private/f"))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(user.status(path("/private"), new ReaddirArgs(0, new byte[8], 1024, 4096, Bitmap.of(AttrBit.TYPE))))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(user.status(path("/private"), CreateArgs.directory("mine", Fattr4.EMPTY)))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(user.status(path("/private"), user.open("new", new OpenHow.Unchecked(Fattr4.EMPTY))))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(user.status(path("/private"), RemoveArgs.of("f"))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(root.read(root.fh("/private/f"))).isEqualTo(DATA);
        assertStillServing(user);
    }

    @Test
    void rootSquash_mapsRootToNobody() throws Exception {
        nfs.rootSquash();
        Nfs user = nfs.user();
        Nfs root = nfs.root();
        byte[] mine = user.writeFile("/mine", DATA);
        user.ok(putfh(mine), new org.jnfsd.protocol.nfs4.namespace.SetattrArgs(
                StateId.ANONYMOUS, Fattr.mode(0600)));

        assertThat(root.status(putfh(mine), new ReadArgs(
                StateId.ANONYMOUS, 0, 10))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        byte[] squashed = root.writeFile("/squashed", DATA);
        assertThat(root.attrs(squashed, AttrBit.OWNER, AttrBit.OWNER_GROUP))
                .containsEntry(AttrBit.OWNER, "65534").containsEntry(AttrBit.OWNER_GROUP, "65534");
        assertThat(root.status(putfh(mine), new org.jnfsd.protocol.nfs4.namespace.SetattrArgs(
                StateId.ANONYMOUS, Fattr.builder().owner("0").build())))
                .isEqualTo(NfsStatus.NFS4ERR_PERM);
        GetattrResult a = root.last(GetattrResult.class, putfh(mine), getattr(AttrBit.OWNER));
        assertThat(Fattr.decode(a.attrs())).containsEntry(AttrBit.OWNER, "1000");
        assertStillServing(root);
    }
}

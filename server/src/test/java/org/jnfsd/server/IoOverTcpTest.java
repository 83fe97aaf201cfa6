package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.GETFH;
import static org.jnfsd.server.Nfs.PUTROOTFH;
import static org.jnfsd.server.Nfs.putfh;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.CommitResult;
import org.jnfsd.protocol.nfs4.io.FreeStateidArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDowngradeArgs;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.io.TestStateidArgs;
import org.jnfsd.protocol.nfs4.io.TestStateidResult;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OPEN, CLOSE, OPEN_DOWNGRADE, READ, WRITE, COMMIT, TEST_STATEID and FREE_STATEID over real TCP. */
class IoOverTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static WriteArgs write(StateId s, long offset, StableHow how, byte[] data) {
        return new WriteArgs(s, offset, how, Unpooled.wrappedBuffer(data));
    }

    private static Verifier verifier(int n) {
        return new Verifier(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) n});
    }

    @Test
    void openUnchecked_createsOrOpensExisting_andGuardedRefusesExisting() throws Exception {
        Nfs user = nfs.user();
        OpenResult created = user.last(OpenResult.class, PUTROOTFH, user.open("f", new OpenHow.Unchecked(Fattr.mode(0640))));
        assertThat(created.cinfo().after()).isNotEqualTo(created.cinfo().before());
        user.ok(PUTROOTFH, user.open("f", new OpenHow.Unchecked(Fattr4.EMPTY)));
        assertThat(user.attrs(user.fh("/f"), AttrBit.MODE).get(AttrBit.MODE)).as("UNCHECKED keeps the file").isEqualTo(0640);

        assertThat(user.status(PUTROOTFH, user.open("f", new OpenHow.Guarded(Fattr4.EMPTY)))).isEqualTo(NfsStatus.NFS4ERR_EXIST);
        user.ok(PUTROOTFH, user.open("g", new OpenHow.Guarded(Fattr4.EMPTY)));
        assertThat(user.status(PUTROOTFH, user.open("missing", new OpenHow.NoCreate()))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
    }

    @Test
    void openExclusive41_retryWithSameVerifierSucceeds_otherVerifierIsExist() throws Exception {
        Nfs user = nfs.user();
        byte[] first = user.last(GetFhResult.class, PUTROOTFH,
                user.open("x", new OpenHow.Exclusive41(verifier(1), Fattr.mode(0600))), GETFH).fh();
        byte[] retry = user.last(GetFhResult.class, PUTROOTFH,
                user.open("x", new OpenHow.Exclusive41(verifier(1), Fattr.mode(0600))), GETFH).fh();
        assertThat(retry).as("the retry opens the same file").isEqualTo(first);
        assertThat(user.status(PUTROOTFH, user.open("x", new OpenHow.Exclusive41(verifier(2), Fattr4.EMPTY))))
                .isEqualTo(NfsStatus.NFS4ERR_EXIST);
        assertThat(user.attrs(first, AttrBit.MODE, AttrBit.SIZE))
                .containsEntry(AttrBit.MODE, 0600).containsEntry(AttrBit.SIZE, 0L);
    }

    @Test
    void openClaimFh_writeRead_close_thenTheStateidIsGone() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", bytes("0123456789"));
        StateId open = user.openFh(fh);

        user.ok(putfh(fh), write(open, 2, StableHow.FILE_SYNC4, bytes("ab")));
        ReadResult r = user.last(ReadResult.class, putfh(fh), new ReadArgs(open, 0, 100));
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo("01ab456789");
        assertThat(r.eof()).isTrue();
        ReadResult part = user.last(ReadResult.class, putfh(fh), new ReadArgs(open, 8, 1));
        assertThat(part.data()).containsExactly('8');
        assertThat(part.eof()).isFalse();
        ReadResult past = user.last(ReadResult.class, putfh(fh), new ReadArgs(open, 100, 10));
        assertThat(past.data()).isEmpty();
        assertThat(past.eof()).isTrue();

        StateId closed = user.last(StateIdResult.class, putfh(fh), new CloseArgs(0, open)).stateId();
        assertThat(user.status(putfh(fh), new ReadArgs(open, 0, 10))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(user.status(putfh(fh), new CloseArgs(0, open))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(closed.seqid()).isNotEqualTo(open.seqid());
    }

    @Test
    void openDowngrade_toRead_refusesWrites() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", bytes("data"));
        StateId both = user.openFh(fh);
        StateId read = user.last(StateIdResult.class, putfh(fh),
                new OpenDowngradeArgs(both, 0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)).stateId();
        assertThat(read.seqid()).isGreaterThan(both.seqid());

        assertThat(user.status(putfh(fh), write(read, 0, StableHow.FILE_SYNC4, bytes("x"))))
                .isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        assertThat(user.last(ReadResult.class, putfh(fh), new ReadArgs(read, 0, 10)).data()).isEqualTo(bytes("data"));
        assertThat(user.status(putfh(fh), new OpenDowngradeArgs(read, 0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE)))
                .as("not a downgrade").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(user.status(putfh(fh), write(both, 0, StableHow.FILE_SYNC4, bytes("x"))))
                .as("the old seqid").isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
    }

    @Test
    void write_unstableAndFileSync_reportStability_andCommitGivesTheSameVerifier() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", new byte[0]);
        StateId open = user.openFh(fh);

        WriteResult unstable = user.last(WriteResult.class, putfh(fh), write(open, 0, StableHow.UNSTABLE4, bytes("abc")));
        assertThat(unstable.count()).isEqualTo(3);
        WriteResult sync = user.last(WriteResult.class, putfh(fh), write(open, 3, StableHow.FILE_SYNC4, bytes("def")));
        assertThat(sync.committed()).isEqualTo(StableHow.FILE_SYNC4);
        CommitResult commit = user.last(CommitResult.class, putfh(fh), new CommitArgs(0, 0));

        assertThat(commit.writeVerifier().bytes()).isEqualTo(unstable.writeVerifier().bytes())
                .isEqualTo(sync.writeVerifier().bytes());
        assertThat(user.read(fh)).isEqualTo(bytes("abcdef"));
        user.ok(putfh(fh), new SetattrArgs(open, Fattr.builder().size(2).build()));
        assertThat(user.read(fh)).as("truncated through the open stateid").isEqualTo(bytes("ab"));
        assertThat(user.status(PUTROOTFH, new CommitArgs(0, 0))).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
    }

    @Test
    void testStateid_reportsEachStateid_andFreeStateidKeepsOpensForClose() throws Exception {
        Nfs user = nfs.user();
        Nfs other = nfs.user();
        byte[] fh = user.writeFile("/f", bytes("x"));
        StateId open = user.openFh(fh);
        StateId closedOne = user.openFh(fh);
        user.ok(putfh(fh), new CloseArgs(0, closedOne));
        StateId bogus = new StateId(1, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});

        TestStateidResult t = user.last(TestStateidResult.class,
                new TestStateidArgs(List.of(open, closedOne, bogus, open.withSeqid(open.seqid() + 5))));
        assertThat(t.statusCodes()).containsExactly(NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_BAD_STATEID,
                NfsStatus.NFS4ERR_BAD_STATEID, NfsStatus.NFS4ERR_BAD_STATEID);
        TestStateidResult theirs = other.last(TestStateidResult.class, new TestStateidArgs(List.of(open)));
        assertThat(theirs.statusCodes()).as("another client's stateid").containsExactly(NfsStatus.NFS4ERR_BAD_STATEID);

        assertThat(user.status(new FreeStateidArgs(open))).as("an open goes with CLOSE").isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
        assertThat(user.status(new FreeStateidArgs(bogus))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        user.ok(putfh(fh), new CloseArgs(0, open));
    }

    @Test
    void currentStateid_flowsFromOpenThroughWriteToClose() throws Exception {
        Nfs user = nfs.user();
        CompoundReply r = user.ok(PUTROOTFH, user.open("c", new OpenHow.Unchecked(Fattr4.EMPTY)),
                write(StateId.CURRENT, 0, StableHow.FILE_SYNC4, bytes("current")),
                new ReadArgs(StateId.CURRENT, 0, 100), new CloseArgs(0, StateId.CURRENT));
        assertThat(r.result(4, ReadResult.class).data()).isEqualTo(bytes("current"));
        assertThat(user.status(PUTROOTFH, new ReadArgs(StateId.CURRENT, 0, 1))).as("no current stateid")
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void openOfADirectoryOrASymlink_isIsdirOrSymlink() throws Exception {
        Nfs user = nfs.user();
        user.mkdir("/d", 0755);
        user.ok(PUTROOTFH, org.jnfsd.protocol.nfs4.namespace.CreateArgs.symlink("l", "d", Fattr4.EMPTY));
        assertThat(user.status(PUTROOTFH, user.open("d", new OpenHow.NoCreate()))).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
        assertThat(user.status(PUTROOTFH, user.open("l", new OpenHow.NoCreate()))).isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
        OpenArgs byFh = new OpenArgs(0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE, user.newOwner(),
                new OpenHow.NoCreate(), new OpenClaim.Fh());
        assertThat(user.status(PUTROOTFH, byFh)).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
    }

    @Test
    void setattrSize_checksTheStateidAsWrite() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", bytes("data"));
        StateId both = user.openFh(fh);
        byte[] other = both.other().clone();
        other[11] ^= 0x5a;
        StateId bogus = new StateId(both.seqid(), other);
        assertThat(user.status(putfh(fh), new SetattrArgs(bogus, Fattr.builder().size(0).build())))
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        StateId read = user.last(StateIdResult.class, putfh(fh),
                new OpenDowngradeArgs(both, 0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE)).stateId();
        assertThat(user.status(putfh(fh), new SetattrArgs(read, Fattr.builder().size(0).build())))
                .isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        assertThat(user.attrs(fh, AttrBit.SIZE).get(AttrBit.SIZE)).isEqualTo(4L);
        assertThat(user.status(putfh(fh), new SetattrArgs(read, Fattr.mode(0600))))
                .as("without a size change the stateid is not checked, as knfsd").isEqualTo(NfsStatus.NFS4_OK);

        StateId write = user.openFh(fh);
        user.ok(putfh(fh), new SetattrArgs(write, Fattr.builder().size(0).build()));
        assertThat(user.attrs(fh, AttrBit.SIZE).get(AttrBit.SIZE)).isEqualTo(0L);
    }

    @Test
    void openByNameOrReaddirInASymlink_isSymlink_inAFileNotdir() throws Exception {
        Nfs user = nfs.user();
        user.mkdir("/d", 0755);
        user.writeFile("/f", bytes("x"));
        user.ok(PUTROOTFH, org.jnfsd.protocol.nfs4.namespace.CreateArgs.symlink("l", "d", Fattr4.EMPTY));
        org.jnfsd.protocol.nfs4.namespace.LookupArgs l = org.jnfsd.protocol.nfs4.namespace.LookupArgs.of("l");
        assertThat(user.status(PUTROOTFH, l, user.open("x", new OpenHow.NoCreate()))).isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
        org.jnfsd.protocol.nfs4.namespace.ReaddirArgs readdir = new org.jnfsd.protocol.nfs4.namespace.ReaddirArgs(
                0, new byte[8], 1024, 4096, org.jnfsd.protocol.nfs4.Bitmap.of(AttrBit.TYPE));
        assertThat(user.status(PUTROOTFH, l, readdir)).isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
        assertThat(user.status(putfh(user.fh("/f")), user.open("x", new OpenHow.NoCreate()))).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
        assertThat(user.status(putfh(user.fh("/f")), readdir)).isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }
}

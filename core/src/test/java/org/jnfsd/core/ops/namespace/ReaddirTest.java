package org.jnfsd.core.ops.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.namespace.Fixture.ALICE;
import static org.jnfsd.core.ops.namespace.Fixture.ROOT;
import static org.jnfsd.core.ops.namespace.Fixture.status;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.SequenceSlot;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.ReaddirArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class ReaddirTest {
    private static final byte[] ZERO = new byte[8];
    private static final int[] TYPE_AND_FILEID = Bitmap.of(AttrBit.TYPE, AttrBit.FILEID);

    private final Fixture f = new Fixture();
    private final Readdir readdir = new Readdir();

    private ReaddirResult list(Fixture fx, Inode dir, long cookie, byte[] verf, int dircount, int maxcount, int[] attrs)
            throws Exception {
        return (ReaddirResult) readdir.execute(fx.at(ALICE, dir), new ReaddirArgs(cookie, verf, dircount, maxcount, attrs));
    }

    /** The size of the READDIR4resok as sent: the encoded result without its status word. */
    private static int resokSize(ReaddirResult r) {
        ByteBuf buf = Unpooled.buffer();
        try {
            r.encode(new XdrEncoder(buf));
            return buf.readableBytes() - 4;
        } finally {
            buf.release();
        }
    }

    @Test
    void execute_300EntriesSmallMaxcount_everyEntryExactlyOnceWithinBudget() throws Exception {
        Inode dir = f.mkdir(f.root(), "big", 0755, 1000, 1000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String name = "entry-" + i;
            f.file(dir, name, 0644, 1000, 1000);
            expected.add(name);
        }
        int maxcount = 1024;
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        byte[] verf = ZERO;
        int calls = 0;
        boolean eof = false;
        while (!eof) {
            ReaddirResult r = list(f, dir, cookie, verf, 0, maxcount, TYPE_AND_FILEID);
            assertThat(resokSize(r)).isLessThanOrEqualTo(maxcount);
            assertThat(r.entries().isEmpty() && !r.eof()).as("progress").isFalse();
            for (ReaddirResult.Entry e : r.entries()) {
                seen.add(e.name());
                assertThat(e.attrs().mask()).containsExactly(TYPE_AND_FILEID);
                cookie = e.cookie();
            }
            verf = r.cookieVerf();
            eof = r.eof();
            calls++;
            assertThat(calls).as("terminates").isLessThan(300);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(calls).as("paged").isGreaterThan(5);
    }

    @Test
    void execute_maxcountExact_entryThatFitsExactlyIsReturned() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);
        f.file(dir, "only", 0644, 1000, 1000);
        ReaddirResult all = list(f, dir, 0, ZERO, 0, 4096, TYPE_AND_FILEID);
        int exact = resokSize(all);

        assertThat(list(f, dir, 0, ZERO, 0, exact, TYPE_AND_FILEID).entries()).hasSize(1);
        assertThat(status(readdir, f.at(ALICE, dir), new ReaddirArgs(0, ZERO, 0, exact - 1, TYPE_AND_FILEID)))
                .isEqualTo(NfsStatus.NFS4ERR_TOOSMALL);
    }

    @Test
    void execute_dircount_limitsEntriesButReturnsAtLeastOne() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);
        for (int i = 0; i < 10; i++) {
            f.file(dir, "n" + i, 0644, 1000, 1000);
        }

        assertThat(list(f, dir, 0, ZERO, 1, 65536, new int[0]).entries()).hasSize(1);
        assertThat(list(f, dir, 0, ZERO, 3 * 16, 65536, new int[0]).entries()).hasSize(3);
    }

    @Test
    void execute_emptyDirectory_eofNoEntries() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);

        ReaddirResult r = list(f, dir, 0, ZERO, 0, 100, TYPE_AND_FILEID);

        assertThat(r.entries()).isEmpty();
        assertThat(r.eof()).isTrue();
    }

    @Test
    void execute_reservedCookie_badCookie() {
        assertThat(status(readdir, f.at(ALICE, f.root()), new ReaddirArgs(1, ZERO, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4ERR_BAD_COOKIE);
        assertThat(status(readdir, f.at(ALICE, f.root()), new ReaddirArgs(2, ZERO, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4ERR_BAD_COOKIE);
    }

    @Test
    void execute_foreignVerifier_notSame_ownOrZeroAccepted() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);
        for (int i = 0; i < 3; i++) {
            f.file(dir, "n" + i, 0644, 1000, 1000);
        }
        ReaddirResult first = list(f, dir, 0, ZERO, 1, 4096, new int[0]);
        long cookie = first.entries().getFirst().cookie();
        byte[] foreign = {9, 9, 9, 9, 9, 9, 9, 9};

        assertThat(status(readdir, f.at(ALICE, dir), new ReaddirArgs(cookie, foreign, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4ERR_NOT_SAME);
        assertThat(list(f, dir, cookie, first.cookieVerf(), 0, 4096, new int[0]).entries()).hasSize(2);
        assertThat(list(f, dir, cookie, ZERO, 0, 4096, new int[0]).entries()).hasSize(2);
        assertThat(list(f, dir, 0, foreign, 0, 4096, new int[0]).entries()).as("ignored at cookie 0").hasSize(3);
    }

    @Test
    void execute_filehandleRequested_handleOfEachEntry() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);
        Inode a = f.file(dir, "a", 0644, 1000, 1000);

        ReaddirResult r = list(f, dir, 0, ZERO, 0, 4096, Bitmap.of(AttrBit.FILEHANDLE));

        byte[] fh = new XdrDecoder(Unpooled.wrappedBuffer(r.entries().getFirst().attrs().values())).readOpaque(128);
        assertThat(fh).isEqualTo(org.jnfsd.core.fs.HandleKey.processKey().seal(f.fh(a)));
    }

    @Test
    void execute_entryAttributesFail_rdattrErrorWhenRequestedElseWholeReaddirFails() throws Exception {
        Fixture failing = new Fixture(false, false, true);
        Inode dir = failing.mkdir(failing.root(), "d", 0755, 1000, 1000);
        failing.file(dir, "a", 0644, 1000, 1000);

        ReaddirResult r = list(failing, dir, 0, ZERO, 0, 4096, Bitmap.of(AttrBit.RDATTR_ERROR, AttrBit.SPACE_AVAIL));
        assertThat(r.entries()).hasSize(1);
        assertThat(r.entries().getFirst().attrs().mask()).containsExactly(Bitmap.of(AttrBit.RDATTR_ERROR));
        assertThat(new XdrDecoder(Unpooled.wrappedBuffer(r.entries().getFirst().attrs().values())).readInt())
                .isEqualTo(NfsStatus.NFS4ERR_IO.code());
        assertThat(status(readdir, failing.at(ALICE, dir), new ReaddirArgs(0, ZERO, 0, 4096, Bitmap.of(AttrBit.SPACE_AVAIL))))
                .isEqualTo(NfsStatus.NFS4ERR_IO);
    }

    @Test
    void execute_writeOnlyAttributeOrNotADirectory_invalOrNotdir() throws Exception {
        Inode file = f.file(f.root(), "f", 0644, 1000, 1000);

        assertThat(status(readdir, f.at(ALICE, f.root()), new ReaddirArgs(0, ZERO, 0, 4096, Bitmap.of(AttrBit.TIME_MODIFY_SET))))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(readdir, f.at(ALICE, file), new ReaddirArgs(0, ZERO, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4ERR_NOTDIR);
    }

    @Test
    void execute_noReadPermission_accessExceptRoot() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0311, 0, 0);

        assertThat(status(readdir, f.at(ALICE, dir), new ReaddirArgs(0, ZERO, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(status(readdir, f.at(ROOT, dir), new ReaddirArgs(0, ZERO, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void execute_sessionResponseLimitSmallerThanMaxcount_replyFitsTheSession() throws Exception {
        Inode dir = f.mkdir(f.root(), "d", 0755, 1000, 1000);
        for (int i = 0; i < 50; i++) {
            f.file(dir, "n" + i, 0644, 1000, 1000);
        }
        CompoundContext ctx = f.at(ALICE, dir);
        ctx.setSequence(new SequenceSlot() {
            @Override
            public int maxResponseSize() {
                return 300;
            }

            @Override
            public int maxResponseSizeCached() {
                return 300;
            }

            @Override
            public int maxOperations() {
                return 8;
            }

            @Override
            public boolean cacheThis() {
                return false;
            }

            @Override
            public void complete(ByteBuf reply) {}
        }, 1, null);

        ReaddirResult r = (ReaddirResult) readdir.execute(ctx, new ReaddirArgs(0, ZERO, 0, 65536, TYPE_AND_FILEID));

        assertThat(resokSize(r)).isLessThanOrEqualTo(300);
        assertThat(r.entries()).isNotEmpty();
        assertThat(r.eof()).isFalse();
    }

    @Test
    void execute_inASymlink_symlink() throws Exception {
        Inode link = f.fs.symlink(f.root(), "l", "f", new org.jnfsd.vfs.SetAttributes(0777, 1000, 1000, null, null, null));

        assertThat(status(readdir, f.at(ALICE, link), new ReaddirArgs(0, ZERO, 0, 4096, new int[0])))
                .isEqualTo(NfsStatus.NFS4ERR_SYMLINK);
    }
}

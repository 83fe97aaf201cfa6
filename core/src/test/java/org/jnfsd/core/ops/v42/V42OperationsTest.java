package org.jnfsd.core.ops.v42;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.v42.V42Fixture.bytes;
import static org.jnfsd.core.ops.v42.V42Fixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.ops.v42.V42Fixture.Backend;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.v42.AllocateArgs;
import org.jnfsd.protocol.nfs4.v42.CloneArgs;
import org.jnfsd.protocol.nfs4.v42.CopyArgs;
import org.jnfsd.protocol.nfs4.v42.CopyResult;
import org.jnfsd.protocol.nfs4.v42.DataContent;
import org.jnfsd.protocol.nfs4.v42.DeallocateArgs;
import org.jnfsd.protocol.nfs4.v42.NetLoc;
import org.jnfsd.protocol.nfs4.v42.OffloadCancelArgs;
import org.jnfsd.protocol.nfs4.v42.OffloadStatusArgs;
import org.jnfsd.protocol.nfs4.v42.ReadPlusArgs;
import org.jnfsd.protocol.nfs4.v42.ReadPlusResult;
import org.jnfsd.protocol.nfs4.v42.SeekArgs;
import org.jnfsd.protocol.nfs4.v42.SeekResult;
import org.jnfsd.vfs.Stability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every NFSv4.2 data operation through {@code op.execute}, over the memory and the local backend. */
class V42OperationsTest {
    private static final int MIB = 1 << 20;
    /** A stateid of no boot of this server: the open table answers NFS4ERR_STALE_STATEID. */
    private static final StateId UNKNOWN = new StateId(1, new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7});

    @TempDir
    Path dir;

    private V42Fixture fx;
    private CompoundContext ctx;

    private void start(Backend backend) throws Exception {
        fx = new V42Fixture(backend, dir);
        ctx = fx.ctx();
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A file with "a" at 0 and "b" at 1 MiB; the current FH becomes it, opened with {@code access}. */
    private StateId sparse(String name, int access) throws Exception {
        FileHandle f = fx.file(name, new byte[] {'a'});
        fx.fs.write(f.inode(), MIB, ByteBuffer.wrap(new byte[] {'b'}), Stability.FILE_SYNC);
        return fx.open(ctx, name, access);
    }

    private static NfsStatus status(OpResult r) {
        return r.status();
    }

    // ---- SEEK ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void seek_sparseFile_findsDataAndHoles(Backend b) throws Exception {
        start(b);
        StateId sid = sparse("s", ACCESS_READ);
        assertThat(run(ctx, new SeekArgs(sid, 0, DataContent.DATA))).isEqualTo(new SeekResult(false, 0));
        SeekResult hole = (SeekResult) run(ctx, new SeekArgs(sid, 0, DataContent.HOLE));
        assertThat(hole.offset()).isBetween(1L, 65536L);
        assertThat(run(ctx, new SeekArgs(sid, hole.offset(), DataContent.DATA))).isEqualTo(new SeekResult(false, MIB));
        assertThat(run(ctx, new SeekArgs(sid, MIB, DataContent.HOLE))).isEqualTo(new SeekResult(true, MIB + 1));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void seek_errors(Backend b) throws Exception {
        start(b);
        StateId sid = sparse("s", ACCESS_READ);
        assertThat(status(run(ctx, new SeekArgs(sid, MIB + 1, DataContent.DATA)))).isEqualTo(NfsStatus.NFS4ERR_NXIO);
        assertThat(status(run(ctx, new SeekArgs(sid, MIB + 1, DataContent.HOLE)))).isEqualTo(NfsStatus.NFS4ERR_NXIO);
        assertThat(status(run(ctx, new SeekArgs(sid, -1, DataContent.DATA)))).isEqualTo(NfsStatus.NFS4ERR_NXIO);
        assertThat(status(run(ctx, new SeekArgs(UNKNOWN, 0, DataContent.DATA)))).isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
        ctx.setCurrentFh(fx.root);
        assertThat(status(run(ctx, new SeekArgs(StateId.ANONYMOUS, 0, DataContent.DATA))))
                .isEqualTo(NfsStatus.NFS4ERR_ISDIR);
    }

    // ---- ALLOCATE / DEALLOCATE ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void allocate_pastEnd_growsTheFile(Backend b) throws Exception {
        start(b);
        FileHandle f = fx.file("f", bytes(10, 1));
        StateId sid = fx.open(ctx, "f", ACCESS_WRITE);
        assertThat(status(run(ctx, new AllocateArgs(sid, 0, 2 * MIB)))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(fx.fs.getattr(f.inode()).size()).isEqualTo(2 * MIB);
        assertThat(fx.read(f, 0, 10)).isEqualTo(bytes(10, 1));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void allocateAndDeallocate_errors(Backend b) throws Exception {
        start(b);
        fx.file("f", bytes(10, 1));
        StateId ro = fx.open(ctx, "f", ACCESS_READ);
        assertThat(status(run(ctx, new AllocateArgs(ro, 0, 10)))).isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        assertThat(status(run(ctx, new DeallocateArgs(ro, 0, 10)))).isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        StateId rw = fx.open(ctx, "f", ACCESS_BOTH);
        assertThat(status(run(ctx, new AllocateArgs(rw, 0, 0)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new DeallocateArgs(rw, 0, 0)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new AllocateArgs(rw, -2, 1)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new AllocateArgs(rw, Long.MAX_VALUE, 2)))).isEqualTo(NfsStatus.NFS4ERR_FBIG);
        assertThat(status(run(ctx, new DeallocateArgs(UNKNOWN, 0, 1)))).isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
        fx.file(true, "g", bytes(4, 1));
        ctx.setCurrentFh(new FileHandle(2, fx.otherFs.lookup(fx.otherFs.root(), "g")));
        assertThat(status(run(ctx, new AllocateArgs(StateId.ANONYMOUS, 0, 1)))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deallocate_middleAndPastEnd_zeroesKeepsSize(Backend b) throws Exception {
        start(b);
        FileHandle f = fx.file("f", bytes(4 * MIB, 3));
        StateId sid = fx.open(ctx, "f", ACCESS_BOTH);
        assertThat(status(run(ctx, new DeallocateArgs(sid, MIB, MIB)))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(status(run(ctx, new DeallocateArgs(sid, 3 * MIB, 100L * MIB)))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(fx.fs.getattr(f.inode()).size()).isEqualTo(4 * MIB);
        assertThat(fx.read(f, MIB, 4)).containsExactly(0, 0, 0, 0);
        assertThat(fx.read(f, 3 * MIB, 4)).containsExactly(0, 0, 0, 0);
        assertThat(fx.read(f, 2 * MIB, 4)).isEqualTo(java.util.Arrays.copyOfRange(bytes(4 * MIB, 3), 2 * MIB, 2 * MIB + 4));
        assertThat(run(ctx, new SeekArgs(sid, MIB, DataContent.HOLE))).isEqualTo(new SeekResult(false, MIB));
    }

    // ---- CLONE ----

    /** Source opened for read and saved, destination opened for write and current. */
    private StateId[] pair(String src, String dst) {
        StateId s = fx.open(ctx, src, ACCESS_READ);
        try {
            ctx.saveFh();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        StateId d = fx.open(ctx, dst, ACCESS_WRITE);
        return new StateId[] {s, d};
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void clone_alignedRange_clonesOrNotsupp(Backend b) throws Exception {
        start(b);
        fx.file("src", bytes(3 * 4096 + 5, 5));
        FileHandle dst = fx.file("dst", new byte[0]);
        StateId[] s = pair("src", "dst");
        OpResult r = run(ctx, new CloneArgs(s[0], s[1], 4096, 0, 0));
        String type = Files.getFileStore(dir).type();
        if (b == Backend.LOCAL && (type.equals("ext4") || type.equals("tmpfs"))) {
            assertThat(status(r)).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        } else {
            assertThat(status(r)).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(fx.read(dst, 0, 2 * 4096 + 5))
                    .isEqualTo(java.util.Arrays.copyOfRange(bytes(3 * 4096 + 5, 5), 4096, 3 * 4096 + 5));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void clone_errors(Backend b) throws Exception {
        start(b);
        fx.file("src", bytes(4 * 4096, 5));
        fx.file("dst", new byte[0]);
        StateId[] s = pair("src", "dst");
        assertThat(status(run(ctx, new CloneArgs(s[0], s[1], 1, 0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new CloneArgs(s[0], s[1], 0, 0, 100)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new CloneArgs(s[0], s[1], 4096, 0, 4 * 4096)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new CloneArgs(s[0], s[1], 5 * 4096, 0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new CloneArgs(s[1], s[0], 0, 0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        // source and destination one file, overlapping
        StateId both = fx.open(ctx, "src", ACCESS_BOTH);
        ctx.saveFh();
        assertThat(status(run(ctx, new CloneArgs(both, both, 0, 4096, 2 * 4096)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        // destination opened read-only
        StateId ro = fx.open(ctx, "dst", ACCESS_READ);
        assertThat(status(run(ctx, new CloneArgs(both, ro, 0, 0, 4096)))).isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        // no saved filehandle
        CompoundContext fresh = fx.ctx();
        fx.open(fresh, "dst", ACCESS_WRITE);
        assertThat(status(run(fresh, new CloneArgs(StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 4096))))
                .isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cloneAndCopy_acrossExports_XDEV(Backend b) throws Exception {
        start(b);
        fx.file("src", bytes(4096, 5));
        FileHandle other = fx.file(true, "o", bytes(4096, 5));
        fx.open(ctx, "src", ACCESS_READ);
        ctx.saveFh();
        ctx.setCurrentFh(other);
        assertThat(status(run(ctx, new CloneArgs(StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 4096))))
                .isEqualTo(NfsStatus.NFS4ERR_XDEV);
        assertThat(status(run(ctx, new CopyArgs(StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 0, false, true, List.of()))))
                .isEqualTo(NfsStatus.NFS4ERR_XDEV);
    }

    // ---- READ_PLUS ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void readPlus_sparseFile_holesAsHoles(Backend b) throws Exception {
        start(b);
        StateId sid = sparse("s", ACCESS_READ);
        ReadPlusResult r = (ReadPlusResult) run(ctx, new ReadPlusArgs(sid, 0, MIB));
        assertThat(r.eof()).isFalse();
        List<ReadPlusResult.Segment> segs = r.contents();
        assertThat(segs).hasSize(2);
        ReadPlusResult.Data first = (ReadPlusResult.Data) segs.get(0);
        assertThat(first.offset()).isZero();
        assertThat(first.data()[0]).isEqualTo((byte) 'a');
        byte[] expected = new byte[first.data().length]; // the rest of the backend's data block: zeros
        expected[0] = 'a';
        assertThat(first.data()).isEqualTo(expected);
        ReadPlusResult.Hole hole = (ReadPlusResult.Hole) segs.get(1);
        assertThat(hole.offset()).isEqualTo(first.data().length);
        assertThat(hole.offset() + hole.length()).isEqualTo(MIB);
        ReadPlusResult rest = (ReadPlusResult) run(ctx, new ReadPlusArgs(sid, MIB, MIB));
        assertThat(rest.eof()).isTrue();
        assertThat(rest.contents()).hasSize(1);
        ReadPlusResult.Data last = (ReadPlusResult.Data) rest.contents().get(0);
        assertThat(last.offset()).isEqualTo(MIB);
        assertThat(last.data()).containsExactly('b');
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void readPlus_countAndEof(Backend b) throws Exception {
        start(b);
        StateId sid = sparse("s", ACCESS_READ);
        ReadPlusResult inHole = (ReadPlusResult) run(ctx, new ReadPlusArgs(sid, MIB / 2, 1000));
        assertThat(inHole.eof()).isFalse();
        assertThat(inHole.contents()).containsExactly(new ReadPlusResult.Hole(MIB / 2, 1000));
        ReadPlusResult past = (ReadPlusResult) run(ctx, new ReadPlusArgs(sid, 5L * MIB, 10));
        assertThat(past.eof()).isTrue();
        assertThat(past.contents()).isEmpty();
        ReadPlusResult tail = (ReadPlusResult) run(ctx, new ReadPlusArgs(sid, MIB - 10, 100));
        assertThat(tail.eof()).isTrue();
        assertThat(tail.contents().get(0)).isEqualTo(new ReadPlusResult.Hole(MIB - 10, 10));
        assertThat(status(run(ctx, new ReadPlusArgs(UNKNOWN, 0, 10)))).isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
        assertThat(status(run(ctx, new ReadPlusArgs(sid, -1, 10)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    // ---- COPY ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void copy_zeroCount_copiesToSourceEnd(Backend b) throws Exception {
        start(b);
        byte[] data = bytes(3 * MIB + 7, 9);
        fx.file("src", data);
        FileHandle dst = fx.file("dst", new byte[0]);
        StateId[] s = pair("src", "dst");
        CopyResult r = (CopyResult) run(ctx, new CopyArgs(s[0], s[1], 0, 0, 0, false, false, List.of()));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.response().count()).isEqualTo(data.length);
        assertThat(r.response().callbackId()).isNull();
        assertThat(r.response().committed()).isEqualTo(StableHow.UNSTABLE4);
        assertThat(r.response().writeVerifier().bytes()).isEqualTo(fx.server.writeVerifier());
        assertThat(r.synchronous()).isTrue();
        assertThat(r.consecutive()).isTrue();
        assertThat(fx.read(dst, 0, data.length)).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void copy_rangeIntoOneFile_nonOverlapping(Backend b) throws Exception {
        start(b);
        FileHandle f = fx.file("f", "0123456789".getBytes());
        StateId sid = fx.open(ctx, "f", ACCESS_BOTH);
        ctx.saveFh();
        CopyResult r = (CopyResult) run(ctx, new CopyArgs(sid, sid, 0, 10, 5, true, true, List.of()));
        assertThat(r.response().count()).isEqualTo(5);
        assertThat(new String(fx.read(f, 0, 20))).isEqualTo("012345678901234");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void copy_errors(Backend b) throws Exception {
        start(b);
        fx.file("src", bytes(100, 1));
        fx.file("dst", new byte[0]);
        StateId[] s = pair("src", "dst");
        assertThat(status(run(ctx, new CopyArgs(s[0], s[1], 50, 0, 51, false, true, List.of()))))
                .as("past the source's end").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new CopyArgs(s[0], s[1], 101, 0, 0, false, true, List.of()))))
                .as("offset past the source's end").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(run(ctx, new CopyArgs(s[0], s[1], 0, 0, 10, false, true, List.of(NetLoc.name("elsewhere"))))))
                .as("inter-server").isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(status(run(ctx, new CopyArgs(UNKNOWN, s[1], 0, 0, 10, false, true, List.of()))))
                .isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
        StateId ro = fx.open(ctx, "dst", ACCESS_READ);
        assertThat(status(run(ctx, new CopyArgs(s[0], ro, 0, 0, 10, false, true, List.of()))))
                .isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
        StateId both = fx.open(ctx, "src", ACCESS_BOTH);
        ctx.saveFh();
        assertThat(status(run(ctx, new CopyArgs(both, both, 0, 10, 20, false, true, List.of()))))
                .as("overlapping in one file").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        ctx.setCurrentFh(fx.root);
        assertThat(status(run(ctx, new CopyArgs(both, StateId.ANONYMOUS, 0, 0, 10, false, true, List.of()))))
                .isEqualTo(NfsStatus.NFS4ERR_ISDIR);
    }

    // ---- OFFLOAD_STATUS / OFFLOAD_CANCEL ----

    @ParameterizedTest
    @EnumSource(Backend.class)
    void offload_unknownStateid_BAD_STATEID(Backend b) throws Exception {
        start(b);
        assertThat(status(run(ctx, new OffloadStatusArgs(UNKNOWN)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(status(run(ctx, new OffloadCancelArgs(UNKNOWN)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }
}

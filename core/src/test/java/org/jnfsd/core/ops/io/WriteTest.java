package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.GID;
import static org.jnfsd.core.ops.io.IoFixture.UID;
import static org.jnfsd.core.ops.io.IoFixture.read;
import static org.jnfsd.core.ops.io.IoFixture.write;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_WRITE;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.vfs.FileType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriteTest {
    private final IoFixture fx = new IoFixture();

    @ParameterizedTest
    @EnumSource(StableHow.class)
    void write_thenReadBack_committedAsRequestedWithServerVerifier(StableHow how) throws Exception {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_BOTH).stateId();
        WriteResult w = (WriteResult) write(ctx, sid, 3, new byte[] {1, 2, 3}, how);
        assertThat(w.count()).isEqualTo(3);
        assertThat(w.committed()).isEqualTo(how);
        assertThat(w.writeVerifier()).isEqualTo(new Verifier(fx.server.writeVerifier()));
        ReadResult r = (ReadResult) read(ctx, sid, 0, 100);
        assertThat(r.data()).containsExactly(0, 0, 0, 1, 2, 3);
        assertThat(r.eof()).isTrue();
    }

    @Test
    void write_oneMebibyte_readsBackIdentical() {
        byte[] data = new byte[1024 * 1024];
        new Random(42).nextBytes(data);
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "big", ACCESS_BOTH).stateId();
        WriteResult w = (WriteResult) write(ctx, sid, 0, data, StableHow.UNSTABLE4);
        assertThat(w.count()).isEqualTo(data.length);
        ReadResult r = (ReadResult) read(ctx, sid, 0, data.length);
        assertThat(r.data()).isEqualTo(data);
        assertThat(r.eof()).isTrue();
    }

    @Test
    void write_payloadInSeveralPieces_everyPieceWrittenInOrder() {
        byte[] data = new byte[3 * 70_000];
        new Random(7).nextBytes(data);
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "pieces", ACCESS_BOTH).stateId();
        // what the RPC decoder hands on for a record gathered from three socket reads
        CompositeByteBuf pieces = Unpooled.compositeBuffer();
        for (int i = 0; i < 3; i++) {
            pieces.addComponent(true, Unpooled.directBuffer(70_000).writeBytes(data, i * 70_000, 70_000));
        }
        try {
            assertThat(pieces.nioBufferCount()).isEqualTo(3);
            WriteResult w = (WriteResult) IoFixture.run(new Write(), ctx,
                    new WriteArgs(sid, 5, StableHow.FILE_SYNC4, pieces));
            assertThat(w.count()).isEqualTo(data.length);
        } finally {
            pieces.release();
        }
        ReadResult r = (ReadResult) read(ctx, sid, 5, data.length);
        assertThat(r.data()).isEqualTo(data);
        assertThat(r.eof()).isTrue();
    }

    @Test
    void write_readOnlyOpen_openmode() {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_READ).stateId();
        assertThat(write(ctx, sid, 0, new byte[1], StableHow.UNSTABLE4).status()).isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
    }

    @Test
    void write_badOldOrOtherFileStateid_rejected() throws Exception {
        CompoundContext ctx = fx.ctx();
        StateId first = fx.create(ctx, "f", ACCESS_WRITE).stateId();
        StateId current = fx.create(ctx, "f", ACCESS_WRITE).stateId();
        assertThat(current.seqid()).isEqualTo(2);
        assertThat(write(ctx, first, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        byte[] other = current.other();
        other[11] ^= 1;
        assertThat(write(ctx, new StateId(2, other), 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        ctx.setCurrentFh(fx.file("g", 0666, UID, GID));
        assertThat(write(ctx, current, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void write_stateidOfAnotherServerInstance_staleStateid() throws Exception {
        IoFixture otherServer = new IoFixture();
        CompoundContext octx = otherServer.ctx();
        StateId foreign = otherServer.create(octx, "f", ACCESS_WRITE).stateId();
        CompoundContext ctx = fx.ctx();
        fx.create(ctx, "f", ACCESS_WRITE);
        assertThat(write(ctx, foreign, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_STATEID);
    }

    @Test
    void write_stateidOfAnotherClient_badStateid() throws Exception {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_WRITE).stateId();
        CompoundContext other = fx.ctx(UID, GID, 0xEE);
        other.setCurrentFh(ctx.currentFh());
        assertThat(write(other, sid, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void write_anonymous_needsPermissionAndNoDeny_bypassNotAllowed() throws Exception {
        FileHandle mine = fx.file("mine", 0644, UID, GID);
        FileHandle theirs = fx.file("theirs", 0644, 2000, 2000);
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(mine);
        assertThat(write(ctx, StateId.ANONYMOUS, 0, new byte[1], StableHow.FILE_SYNC4).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(write(ctx, StateId.READ_BYPASS, 0, new byte[1], StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        ctx.setCurrentFh(theirs);
        assertThat(write(ctx, StateId.ANONYMOUS, 0, new byte[1], StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);

        CompoundContext denier = fx.ctx(UID, GID, 0xDD);
        fx.open(denier, "mine", new OpenHow.NoCreate(), ACCESS_READ, DENY_WRITE);
        ctx.setCurrentFh(mine);
        assertThat(write(ctx, StateId.ANONYMOUS, 0, new byte[1], StableHow.FILE_SYNC4).status())
                .isEqualTo(NfsStatus.NFS4ERR_LOCKED);
    }

    @Test
    void write_aboveMaxWrite_inval() {
        IoFixture small = new IoFixture(ServerConfig.builder().maxWrite(8).build(), false);
        CompoundContext ctx = small.ctx();
        StateId sid = small.create(ctx, "f", ACCESS_WRITE).stateId();
        assertThat(write(ctx, sid, 0, new byte[8], StableHow.UNSTABLE4).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(write(ctx, sid, 0, new byte[9], StableHow.UNSTABLE4).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void write_offsetOverflow_fbig() {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "f", ACCESS_WRITE).stateId();
        assertThat(write(ctx, sid, Long.MAX_VALUE - 1, new byte[4], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_FBIG);
        assertThat(write(ctx, sid, -1L, new byte[1], StableHow.UNSTABLE4).status()).isEqualTo(NfsStatus.NFS4ERR_FBIG);
    }

    @Test
    void write_directory_isdir() throws Exception {
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(fx.node("d", FileType.DIRECTORY));
        assertThat(write(ctx, StateId.ANONYMOUS, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_ISDIR);
    }

    @Test
    void write_readOnlyExport_rofs() throws Exception {
        IoFixture ro = new IoFixture(ServerConfig.defaults(), true);
        FileHandle fh = ro.file("f", 0666, UID, GID);
        CompoundContext ctx = ro.ctx();
        ctx.setCurrentFh(fh);
        assertThat(write(ctx, StateId.ANONYMOUS, 0, new byte[1], StableHow.UNSTABLE4).status())
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
    }

    @Test
    void writeAndRead_throughLockStateid_useItsOpen_oldLockSeqid_oldStateid() {
        CompoundContext ctx = fx.ctx();
        StateId open = fx.create(ctx, "f", ACCESS_BOTH).stateId();
        StateId lock = IoLocks.lock(ctx, open);
        assertThat(write(ctx, lock, 0, new byte[] {1, 2, 3}, StableHow.FILE_SYNC4).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(read(ctx, lock, 0, 3).status()).isEqualTo(NfsStatus.NFS4_OK);
        IoLocks.unlock(ctx, lock);
        assertThat(write(ctx, lock, 0, new byte[] {1}, StableHow.UNSTABLE4).status()).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
    }
}

package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.UID;
import static org.jnfsd.core.ops.io.IoFixture.GID;
import static org.jnfsd.core.ops.io.IoFixture.read;
import static org.jnfsd.core.ops.io.IoFixture.write;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_READ;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stability;
import org.junit.jupiter.api.Test;

class ReadTest {
    private final IoFixture fx = new IoFixture();

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private FileHandle fileWith(String name, byte[] content, int mode, int uid) throws Exception {
        FileHandle fh = fx.file(name, mode, uid, uid);
        fx.fs.write(fh.inode(), 0, ByteBuffer.wrap(content), Stability.FILE_SYNC);
        return fh;
    }

    @Test
    void read_throughReadOpen_returnsDataAndExactEof() throws Exception {
        byte[] content = bytes(100);
        fileWith("f", content, 0644, UID);
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.open(ctx, "f", new OpenHow.NoCreate(), ACCESS_READ, DENY_NONE).stateId();

        ReadResult head = (ReadResult) read(ctx, sid, 0, 40);
        assertThat(head.data()).isEqualTo(Arrays.copyOf(content, 40));
        assertThat(head.eof()).isFalse();

        ReadResult tail = (ReadResult) read(ctx, sid, 60, 40);
        assertThat(tail.data()).isEqualTo(Arrays.copyOfRange(content, 60, 100));
        assertThat(tail.eof()).isTrue();

        ReadResult past = (ReadResult) read(ctx, sid, 500, 10);
        assertThat(past.data()).isEmpty();
        assertThat(past.eof()).isTrue();

        ReadResult oddLength = (ReadResult) read(ctx, sid, 1, 5);
        assertThat(oddLength.data()).isEqualTo(Arrays.copyOfRange(content, 1, 6));
    }

    @Test
    void read_throughWriteOnlyOpen_allowed() throws Exception {
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.create(ctx, "w", ACCESS_WRITE).stateId();
        assertThat(write(ctx, sid, 0, bytes(10), StableHow.UNSTABLE4).status()).isEqualTo(NfsStatus.NFS4_OK);
        ReadResult r = (ReadResult) read(ctx, sid, 0, 10);
        assertThat(r.data()).isEqualTo(bytes(10));
    }

    @Test
    void read_currentStateid_resolvesToTheOpen() throws Exception {
        fileWith("f", bytes(8), 0644, UID);
        CompoundContext ctx = fx.ctx();
        fx.open(ctx, "f", new OpenHow.NoCreate(), ACCESS_READ, DENY_NONE);
        assertThat(((ReadResult) read(ctx, StateId.CURRENT, 0, 8)).data()).isEqualTo(bytes(8));
    }

    @Test
    void read_countAboveMaxRead_capped() throws Exception {
        IoFixture small = new IoFixture(ServerConfig.builder().maxRead(16).build(), false);
        FileHandle fh = small.file("f", 0644, UID, GID);
        small.fs.write(fh.inode(), 0, ByteBuffer.wrap(bytes(64)), Stability.FILE_SYNC);
        CompoundContext ctx = small.ctx();
        ctx.setCurrentFh(fh);
        ReadResult r = (ReadResult) read(ctx, StateId.ANONYMOUS, 0, 0xffff_ffffL);
        assertThat(r.data()).isEqualTo(Arrays.copyOf(bytes(64), 16));
        assertThat(r.eof()).isFalse();
    }

    @Test
    void read_specialStateids_permissionChecked() throws Exception {
        FileHandle open = fileWith("public", bytes(4), 0644, 2000);
        FileHandle closed = fileWith("private", bytes(4), 0600, 2000);
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(open);
        assertThat(read(ctx, StateId.ANONYMOUS, 0, 4).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(read(ctx, StateId.READ_BYPASS, 0, 4).status()).isEqualTo(NfsStatus.NFS4_OK);
        ctx.setCurrentFh(closed);
        assertThat(read(ctx, StateId.ANONYMOUS, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(read(ctx, StateId.READ_BYPASS, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void read_anonymousAgainstDenyRead_locked_bypassAllowed() throws Exception {
        fileWith("f", bytes(4), 0644, UID);
        CompoundContext opener = fx.ctx(UID, GID, 0xAA);
        fx.open(opener, "f", new OpenHow.NoCreate(), ACCESS_READ, DENY_READ);
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(opener.currentFh());
        assertThat(read(ctx, StateId.ANONYMOUS, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_LOCKED);
        assertThat(read(ctx, StateId.READ_BYPASS, 0, 4).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void read_openOfOtherFile_badStateid() throws Exception {
        fileWith("a", bytes(4), 0644, UID);
        FileHandle b = fileWith("b", bytes(4), 0644, UID);
        CompoundContext ctx = fx.ctx();
        StateId sid = fx.open(ctx, "a", new OpenHow.NoCreate(), ACCESS_READ, DENY_NONE).stateId();
        ctx.setCurrentFh(b);
        assertThat(read(ctx, sid, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void read_directory_isdir_symlink_inval() throws Exception {
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(fx.node("d", FileType.DIRECTORY));
        assertThat(read(ctx, StateId.ANONYMOUS, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
        ctx.setCurrentFh(fx.node("l", FileType.SYMLINK));
        assertThat(read(ctx, StateId.ANONYMOUS, 0, 4).status()).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void read_intoCompositeReplyBuffer_stillCorrect() throws Exception {
        FileHandle fh = fileWith("f", bytes(50), 0644, UID);
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(fh);
        OpResult r = new Read().execute(ctx, new ReadArgs(StateId.ANONYMOUS, 0, 50));
        CompositeByteBuf buf = Unpooled.compositeBuffer();
        buf.addComponent(true, Unpooled.buffer(8));
        buf.addComponent(true, Unpooled.buffer(8));
        buf.writerIndex(0);
        try {
            r.encode(new XdrEncoder(buf));
            ReadResult back = (ReadResult) ReadResult.decode(new XdrDecoder(buf));
            assertThat(back.data()).isEqualTo(bytes(50));
        } finally {
            buf.release();
        }
    }

    @Test
    void read_fileRemovedBeforeEncode_replyBecomesTheError() throws Exception {
        FileHandle fh = fileWith("f", bytes(50), 0644, UID);
        CompoundContext ctx = fx.ctx();
        ctx.setCurrentFh(fh);
        OpResult r = new Read().execute(ctx, new ReadArgs(StateId.ANONYMOUS, 0, 50));
        fx.fs.remove(fx.fs.root(), "f");
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(0x1234); // what the engine wrote before
            r.encode(new XdrEncoder(buf));
            assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_STALE);
            assertThat(buf.readInt()).isEqualTo(0x1234);
            assertThat(buf.readInt()).isEqualTo(NfsStatus.NFS4ERR_STALE.code());
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }
}

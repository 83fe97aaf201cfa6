package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.io.IoFixture.CLIENT;
import static org.jnfsd.core.ops.io.IoFixture.GID;
import static org.jnfsd.core.ops.io.IoFixture.UID;
import static org.jnfsd.core.ops.io.IoFixture.openArgs;
import static org.jnfsd.core.ops.io.IoFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;

import java.nio.ByteBuffer;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.vfs.ForwardingFileSystem;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

/**
 * OPEN whose truncation fails (the backend refuses the size change) undoes the open it just made
 * through the CLOSE path: the lock table's client lock first, then the open table's file lock --
 * the one order of {@code OrderedLock.Rank}. It used to call {@code OpenStates.close} directly,
 * which holds the file's open lock while it asks the lock table (the client's lock) whether locks
 * are held: the reverse of CLOSE and LOCK, a deadlock against a concurrent CLOSE or LOCK of the
 * same client on the same file. The lock-order check ({@code OrderedLock}, on with assertions)
 * makes that inversion fail here, on one thread, instead of as a rare hang.
 */
class OpenTruncateFailureTest {
    private final IoFixture fx = new IoFixture(ServerConfig.defaults(), false, true,
            fs -> new ForwardingFileSystem(fs) {
                @Override
                public Stat setattr(Inode inode, SetAttributes attrs) throws VfsException {
                    if (attrs.size() != null) {
                        throw new VfsException(VfsError.IO, "truncation refused (test)");
                    }
                    return super.setattr(inode, attrs);
                }
            });

    private static Fattr4 sizeZero() {
        return new Fattr4(Bitmap.of(Open.FATTR4_SIZE), ByteBuffer.allocate(8).putLong(0).array());
    }

    @Test
    void open_truncateFails_withLockStateOfClient_undoesOpenInLockOrder() throws Exception {
        FileHandle f = fx.file("f", 0644, UID, GID);
        fx.fs.write(f.inode(), 0, ByteBuffer.wrap(new byte[10]), Stability.FILE_SYNC);
        CompoundContext ctx = fx.ctx();
        // the client has lock state (on another file): the lock table has its client entry
        OpenResult g = fx.create(ctx, "g", ACCESS_BOTH);
        IoLocks.lock(ctx, g.stateId());

        ctx.setCurrentFh(fx.root);
        OpResult r = run(new Open(), ctx, openArgs("other-owner", "f", new OpenHow.Unchecked(sizeZero()),
                ACCESS_WRITE, DENY_NONE));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_IO);
        assertThat(fx.server.opens().openCount(CLIENT)).as("only g's open is left").isEqualTo(1);
        assertThat(fx.server.opens().isOpen(f)).isFalse();
    }
}

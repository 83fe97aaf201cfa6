package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.memory.MemoryFileSystem;

/**
 * A server over the memory backend (root directory 0777, owned by root) and helpers to run this
 * area's operations as a COMPOUND would, with a hand-built {@link CompoundContext}.
 */
final class IoFixture {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final int UID = 1000;
    static final int GID = 1000;
    static final long CLIENT = 0xC1;

    final MemoryFileSystem fs;
    final Export export;
    final ServerContext server;
    final FileHandle root;

    IoFixture() {
        this(ServerConfig.defaults(), false);
    }

    IoFixture(ServerConfig config, boolean readOnly) {
        this(config, readOnly, true);
    }

    /** @param delegations whether the export allows delegations */
    IoFixture(ServerConfig config, boolean readOnly, boolean delegations) {
        this(config, readOnly, delegations, java.util.function.UnaryOperator.identity());
    }

    /** @param wrap the backend the export serves, around the memory one (fault injection) */
    IoFixture(ServerConfig config, boolean readOnly, boolean delegations,
            java.util.function.UnaryOperator<org.jnfsd.vfs.VirtualFileSystem> wrap) {
        fs = new MemoryFileSystem(CLOCK, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        export = new Export(1, "/", wrap.apply(fs), readOnly, false, Export.NOBODY, Export.NOBODY, delegations);
        server = new ServerContext(config, new ExportTable(List.of(export)), CLOCK,
                new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
        root = new FileHandle(1, fs.root());
    }

    /** A context of {@code uid} (AUTH_SYS) in the session of {@code clientId}, current FH the root. */
    CompoundContext ctx(int uid, int gid, long clientId) {
        CompoundContext ctx = new CompoundContext(server,
                new Credential.AuthSys(0, "test", uid, gid, new int[0]), null, 1, 16, 0);
        ctx.setSequence(null, clientId, null);
        ctx.setCurrentFh(root);
        return ctx;
    }

    CompoundContext ctx() {
        return ctx(UID, GID, CLIENT);
    }

    /** Runs an operation as the engine would, failures turned into their status result. */
    static <A> OpResult run(Operation<A> op, CompoundContext ctx, A args) {
        try {
            return op.execute(ctx, args);
        } catch (NfsException e) {
            return op.failure(e.status(), args);
        }
    }

    static NfsStatus status(OpResult r) {
        return r.status();
    }

    static OpenArgs openArgs(String name, OpenHow how, int access, int deny) {
        return openArgs("owner", name, how, access, deny);
    }

    static OpenArgs openArgs(String owner, String name, OpenHow how, int access, int deny) {
        return new OpenArgs(0, access, deny, new OpenOwner(CLIENT, owner.getBytes(StandardCharsets.UTF_8)), how,
                new OpenClaim.Null(name));
    }

    /** OPEN by name from the root; the context's current FH becomes the file. */
    OpenResult open(CompoundContext ctx, String name, OpenHow how, int access, int deny) {
        ctx.setCurrentFh(root);
        OpResult r = run(new Open(), ctx, openArgs(name, how, access, deny));
        assertThat(r.status()).as("OPEN %s", name).isEqualTo(NfsStatus.NFS4_OK);
        return (OpenResult) r;
    }

    OpenResult create(CompoundContext ctx, String name, int access) {
        return open(ctx, name, new OpenHow.Unchecked(Fattr4.EMPTY), access, ShareAccess.DENY_NONE);
    }

    /** A regular file made directly in the backend, with the given mode and owner. */
    FileHandle file(String name, int mode, int uid, int gid) throws VfsException {
        Inode i = fs.createFile(fs.root(), name, new SetAttributes(mode, uid, gid, null, null, null), true);
        return new FileHandle(1, i);
    }

    FileHandle node(String name, FileType type) throws VfsException {
        Inode i = switch (type) {
            case DIRECTORY -> fs.mkdir(fs.root(), name, SetAttributes.NONE);
            case SYMLINK -> fs.symlink(fs.root(), name, "target", SetAttributes.NONE);
            default -> fs.mknod(fs.root(), name, type, 0, 0, SetAttributes.NONE);
        };
        return new FileHandle(1, i);
    }

    /** READ through the real encoder into a pooled direct buffer; the reply decoded as a client would. */
    static OpResult read(CompoundContext ctx, StateId sid, long offset, long count) {
        OpResult r = run(new Read(), ctx, new ReadArgs(sid, offset, count));
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        try {
            r.encode(new XdrEncoder(buf));
            OpResult decoded = ReadResult.decode(new XdrDecoder(buf));
            assertThat(buf.isReadable()).isFalse();
            assertThat(decoded.status()).isEqualTo(r.status());
            return decoded;
        } finally {
            buf.release();
        }
    }

    static OpResult write(CompoundContext ctx, StateId sid, long offset, byte[] data, StableHow stable) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            return run(new Write(), ctx, new WriteArgs(sid, offset, stable, buf));
        } finally {
            buf.release();
        }
    }

    static StatusResult statusResult(NfsStatus s) {
        return StatusResult.of(s);
    }
}

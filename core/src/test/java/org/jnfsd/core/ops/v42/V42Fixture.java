package org.jnfsd.core.ops.v42;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.local.LocalFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;

/**
 * A server with two exports of one backend kind (memory, or local directories), and helpers to run
 * operations as a minor-version-2 COMPOUND would. Export 1 is writable, export 2 read-only.
 */
final class V42Fixture implements AutoCloseable {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final int UID = 1000;
    static final long CLIENT = 0xC1;
    private static final OperationTable OPS = StandardOperations.table();

    /** Which backend the exports use. */
    enum Backend {
        MEMORY,
        LOCAL
    }

    final VirtualFileSystem fs;
    final VirtualFileSystem otherFs;
    final ServerContext server;
    final FileHandle root;
    final FileHandle otherRoot;

    V42Fixture(Backend backend, Path dir) throws IOException {
        if (backend == Backend.MEMORY) {
            fs = new MemoryFileSystem(CLOCK, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
            otherFs = new MemoryFileSystem(CLOCK, MemoryFileSystem.Options.DEFAULTS.withFsid(2).withRoot(0777, 0, 0));
        } else {
            Path a = dir.resolve("a");
            Path b = dir.resolve("b");
            java.nio.file.Files.createDirectories(a);
            java.nio.file.Files.createDirectories(b);
            fs = new LocalFileSystem(a, CLOCK);
            otherFs = new LocalFileSystem(b, CLOCK);
        }
        Export e1 = new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY);
        Export e2 = new Export(2, "/ro", otherFs, true, false, Export.NOBODY, Export.NOBODY);
        server = new ServerContext(ServerConfig.defaults(), new ExportTable(List.of(e1, e2)), CLOCK,
                new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
        root = new FileHandle(1, fs.root());
        otherRoot = new FileHandle(2, otherFs.root());
    }

    @Override
    public void close() {
        fs.close();
        otherFs.close();
    }

    CompoundContext ctx() {
        CompoundContext ctx = new CompoundContext(server, new Credential.AuthSys(0, "test", UID, UID, new int[0]), null,
                2, 16, 0);
        ctx.setSequence(null, CLIENT, null);
        ctx.setCurrentFh(root);
        return ctx;
    }

    /** Runs an operation by opcode as the engine would, failures turned into their result. */
    @SuppressWarnings("unchecked")
    static <A extends OpArgs> OpResult run(CompoundContext ctx, A args) {
        Operation<A> op = (Operation<A>) OPS.get(args.opcode());
        try {
            return op.execute(ctx, args);
        } catch (NfsException e) {
            return op.failure(e.status(), args);
        }
    }

    /** A file with {@code content} (mode 0666) in export 1 (or 2), made in the backend directly. */
    FileHandle file(boolean other, String name, byte[] content) throws VfsException {
        VirtualFileSystem f = other ? otherFs : fs;
        Inode i = f.createFile(f.root(), name, SetAttributes.NONE.withMode(0666), true);
        if (content.length > 0) {
            f.write(i, 0, ByteBuffer.wrap(content), Stability.FILE_SYNC);
        }
        return new FileHandle(other ? 2 : 1, i);
    }

    FileHandle file(String name, byte[] content) throws VfsException {
        return file(false, name, content);
    }

    /** OPEN (no create) of {@code name} in the export of {@code dirFh}; the current FH becomes the file. */
    StateId open(CompoundContext ctx, FileHandle dirFh, String name, int access) {
        ctx.setCurrentFh(dirFh);
        OpenArgs args = new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(CLIENT, ("owner-" + name + access).getBytes(StandardCharsets.UTF_8)), new OpenHow.NoCreate(),
                new OpenClaim.Null(name));
        OpResult r = run(ctx, args);
        assertThat(r.status()).as("OPEN %s", name).isEqualTo(org.jnfsd.protocol.nfs4.NfsStatus.NFS4_OK);
        return ((OpenResult) r).stateId();
    }

    StateId open(CompoundContext ctx, String name, int access) {
        return open(ctx, root, name, access);
    }

    byte[] read(FileHandle fh, long offset, int length) throws VfsException {
        VirtualFileSystem f = fh.exportId() == 1 ? fs : otherFs;
        ByteBuffer b = ByteBuffer.allocate(length);
        f.read(fh.inode(), offset, b);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static Opcode opcodeOf(OpArgs a) {
        return a.opcode();
    }
}

package org.jnfsd.core.ops.namespace;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;

/**
 * A server over one in-memory export (id 1, root directory 0777 owned by root) and a second one
 * (id 2) for cross-export cases, with helpers to build trees and run operations.
 */
final class Fixture {
    static final Credential ROOT = user(0, 0);
    static final Credential ALICE = user(1000, 1000, 50);
    static final Credential BOB = user(1001, 1001);

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final MemoryFileSystem fs;
    final VirtualFileSystem exported;
    final Export export;
    final Export other;
    final ServerContext server;

    Fixture() {
        this(false, false, false);
    }

    /**
     * @param failingFsStat the first export's fsStat() fails with IO (for rdattr_error cases)
     */
    Fixture(boolean readOnly, boolean rootSquash, boolean failingFsStat) {
        this(ServerConfig.defaults(), readOnly, rootSquash, failingFsStat);
    }

    /** A writable fixture with {@code config} (for example with delegations on). */
    Fixture(ServerConfig config) {
        this(config, false, false, false);
    }

    /** A writable fixture whose first export serves {@code wrap} of the memory file system. */
    Fixture(java.util.function.UnaryOperator<VirtualFileSystem> wrap) {
        this(ServerConfig.defaults(), false, false, false, wrap);
    }

    private Fixture(ServerConfig config, boolean readOnly, boolean rootSquash, boolean failingFsStat) {
        this(config, readOnly, rootSquash, failingFsStat, v -> v);
    }

    private Fixture(ServerConfig config, boolean readOnly, boolean rootSquash, boolean failingFsStat,
            java.util.function.UnaryOperator<VirtualFileSystem> wrap) {
        fs = new MemoryFileSystem(clock, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        exported = wrap.apply(failingFsStat ? failingFsStat(fs) : fs);
        export = new Export(1, "/", exported, readOnly, rootSquash, Export.NOBODY, Export.NOBODY);
        other = new Export(2, "/other", new MemoryFileSystem(clock,
                MemoryFileSystem.Options.DEFAULTS.withFsid(2).withRoot(0777, 0, 0)));
        server = new ServerContext(config, new ExportTable(List.of(export, other)), clock,
                new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
    }

    static Credential user(int uid, int gid, int... gids) {
        return new Credential.AuthSys(0, "test", uid, gid, gids);
    }

    Inode root() {
        return fs.root();
    }

    FileHandle fh(Inode inode) {
        return new FileHandle(export.id(), inode);
    }

    CompoundContext ctx(Credential cred) {
        return new CompoundContext(server, cred, null, 1, 8, 0);
    }

    /** A context of client {@code clientId} (as SEQUENCE would set it) at {@code inode}. */
    CompoundContext at(Credential cred, long clientId, Inode inode) {
        CompoundContext c = at(cred, inode);
        c.setSequence(null, clientId, null);
        return c;
    }

    /** A context whose current filehandle is {@code inode} of the first export. */
    CompoundContext at(Credential cred, Inode inode) {
        CompoundContext c = ctx(cred);
        c.setCurrentFh(fh(inode));
        return c;
    }

    Inode mkdir(Inode parent, String name, int mode, int uid, int gid) throws VfsException {
        return fs.mkdir(parent, name, new SetAttributes(mode, uid, gid, null, null, null));
    }

    Inode file(Inode parent, String name, int mode, int uid, int gid) throws VfsException {
        return fs.createFile(parent, name, new SetAttributes(mode, uid, gid, null, null, null), true);
    }

    Stat stat(Inode inode) throws VfsException {
        return fs.getattr(inode);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static <A> OpResult run(Operation<A> op, CompoundContext ctx, A args) throws NfsException {
        return op.execute(ctx, args);
    }

    /** The status an operation ends with: NFS4_OK or the status of the NfsException it threw. */
    static <A> NfsStatus status(Operation<A> op, CompoundContext ctx, A args) {
        try {
            op.execute(ctx, args);
            return NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    private static VirtualFileSystem failingFsStat(VirtualFileSystem delegate) {
        return (VirtualFileSystem) Proxy.newProxyInstance(Fixture.class.getClassLoader(),
                new Class<?>[] {VirtualFileSystem.class}, (proxy, m, args) -> {
                    if (m.getName().equals("fsStat")) {
                        throw new VfsException(VfsError.IO, "space figures unavailable");
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

package org.jnfsd.core.ops.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
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
import org.jnfsd.core.compound.OperationTable;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.recovery.RecoveryStore;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoders;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.memory.MemoryFileSystem;

/**
 * A server over the memory backend with one regular file "f", and helpers to run any operation
 * (through the standard dispatch table) as a COMPOUND would: failures become their result, and
 * every result goes through its encoder and the client's decoder.
 */
final class LockFixture {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final long A = 0xA1;
    static final long B = 0xB2;
    private static final OperationTable OPS = StandardOperations.table();

    final MemoryFileSystem fs;
    final ServerContext server;
    final FileHandle root;
    final FileHandle file;

    LockFixture() throws VfsException {
        this(new InMemoryRecoveryStore());
    }

    /** With a recovery store: one holding an earlier instance's clients puts the server in grace. */
    LockFixture(RecoveryStore recovery) throws VfsException {
        fs = new MemoryFileSystem(CLOCK, MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        Export export = new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY);
        server = new ServerContext(ServerConfig.defaults(), new ExportTable(List.of(export)), CLOCK, recovery,
                new ServerCounters(), null, Runnable::run);
        root = new FileHandle(1, fs.root());
        Inode f = fs.createFile(fs.root(), "f", new SetAttributes(0666, 1000, 1000, null, null, null), true);
        file = new FileHandle(1, f);
    }

    /** A context in the session of {@code clientId}, current FH the file. */
    CompoundContext ctx(long clientId) {
        CompoundContext ctx = new CompoundContext(server, new Credential.AuthSys(0, "test", 1000, 1000, new int[0]),
                null, 1, 16, 0);
        ctx.setSequence(null, clientId, null);
        ctx.setCurrentFh(file);
        return ctx;
    }

    /** Runs {@code args} through the operation registered for its opcode; the result decoded as a client would. */
    @SuppressWarnings("unchecked")
    static OpResult run(CompoundContext ctx, OpArgs args) {
        Operation<OpArgs> op = (Operation<OpArgs>) OPS.get(args.opcode());
        OpResult r;
        try {
            r = op.execute(ctx, args);
        } catch (NfsException e) {
            r = op.failure(e.status(), args);
        }
        ByteBuf buf = Unpooled.buffer();
        try {
            r.encode(new XdrEncoder(buf));
            OpResult decoded = ResultDecoders.decode(args.opcode(), new XdrDecoder(buf));
            assertThat(buf.isReadable()).as("%s result fully decoded", args.opcode()).isFalse();
            assertThat(decoded).isEqualTo(r);
            return decoded;
        } finally {
            buf.release();
        }
    }

    /** An open of the file by the client (state kept in the server's OpenStates). */
    StateId open(long clientId, int access) throws NfsException {
        return server.opens().open(clientId, new OpenOwner(clientId, bytes("open")), file, access,
                ShareAccess.DENY_NONE).stateId();
    }

    static LockArgs newOwner(LockType type, long offset, long length, StateId open, String owner) {
        // the client id in the owner is replaced by the session's: any value will do
        return new LockArgs(type, false, offset, length, new Locker.NewOwner(0, open, 0, new OpenOwner(0x99, bytes(owner))));
    }

    static LockArgs existing(LockType type, long offset, long length, StateId lockStateId) {
        return new LockArgs(type, false, offset, length, new Locker.ExistingOwner(lockStateId, 0));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}

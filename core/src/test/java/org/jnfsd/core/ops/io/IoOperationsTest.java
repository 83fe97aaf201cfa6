package org.jnfsd.core.ops.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_WRITE;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.CompoundRequest;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.DestroySessionArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/**
 * This area's operations through the real COMPOUND engine and the standard operation table, with
 * a session: encoded requests in, encoded replies (into pooled direct buffers) out.
 */
class IoOperationsTest {
    private static final Credential ALICE = new Credential.AuthSys(0, "alice", 1000, 1000, new int[0]);

    private final ServerContext server = new ServerContext(ServerConfig.defaults(), new ExportTable(List.of(
            new Export(1, "/", new MemoryFileSystem(IoFixture.CLOCK,
                    MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0))))), IoFixture.CLOCK,
            new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);
    private final CompoundProcessor processor = new CompoundProcessor(server, StandardOperations.table());

    private CompoundReply call(OpArgs... ops) {
        ByteBuf req = Unpooled.buffer();
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        try {
            new CompoundRequest("io", 1, List.of(ops)).encode(new XdrEncoder(req));
            processor.process(ALICE, null, new XdrDecoder(req), new XdrEncoder(out));
            CompoundReply reply = CompoundReply.decode(new XdrDecoder(out));
            assertThat(out.isReadable()).isFalse();
            return reply;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            req.release();
            out.release();
        }
    }

    private static ChannelAttrs attrs() {
        return new ChannelAttrs(0, 2 << 20, 2 << 20, 1 << 16, 16, 4, null);
    }

    private record Session(long clientId, SessionId id) {}

    private Session newSession() {
        CompoundReply e = call(new ExchangeIdArgs("verifier".getBytes(StandardCharsets.US_ASCII),
                "io-client".getBytes(StandardCharsets.UTF_8), 0, StateProtectArgs.None.INSTANCE, List.of()));
        ExchangeIdResult eid = e.result(0, ExchangeIdResult.class);
        CompoundReply c = call(new CreateSessionArgs(eid.clientId(), eid.sequenceId(), 0, attrs(), attrs(),
                0x40000000, List.of(new CallbackSecParms.Sys(0, "alice", 1000, 1000, new int[0]))));
        assertThat(c.status()).isEqualTo(NfsStatus.NFS4_OK);
        SessionId id = c.result(0, CreateSessionResult.class).sessionId();
        // RFC 8881 §18.51.3: before the first non-reclaim OPEN (on the last slot, leaving the tests slot 0)
        assertThat(call(new SequenceArgs(id, 1, 3, 3, false),
                new org.jnfsd.protocol.nfs4.session.ReclaimCompleteArgs(false)).status()).isEqualTo(NfsStatus.NFS4_OK);
        return new Session(eid.clientId(), id);
    }

    private static OpenArgs open(String name, OpenHow how, int access, int deny) {
        return new OpenArgs(0, access, deny, new OpenOwner(0, "owner".getBytes(StandardCharsets.UTF_8)), how,
                new OpenClaim.Null(name));
    }

    @Test
    void openWriteReadClose_withCurrentStateid_inOneCompound() {
        Session s = newSession();
        byte[] data = "hello, jnfsd".getBytes(StandardCharsets.UTF_8);
        ByteBuf payload = Unpooled.wrappedBuffer(data);
        CompoundReply r;
        try {
            r = call(new SequenceArgs(s.id(), 1, 0, 0, false), VoidArgs.PUTROOTFH,
                    open("f", new OpenHow.Unchecked(Fattr4.EMPTY), ACCESS_BOTH, DENY_NONE),
                    new WriteArgs(StateId.CURRENT, 0, StableHow.FILE_SYNC4, payload),
                    new ReadArgs(StateId.CURRENT, 0, 1000),
                    new CloseArgs(0, StateId.CURRENT));
        } finally {
            payload.release();
        }
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.opcodes()).containsExactly(Opcode.SEQUENCE, Opcode.PUTROOTFH, Opcode.OPEN, Opcode.WRITE,
                Opcode.READ, Opcode.CLOSE);
        assertThat(r.result(2, OpenResult.class).stateId().seqid()).isEqualTo(1);
        assertThat(r.result(3, WriteResult.class).count()).isEqualTo(data.length);
        ReadResult read = r.result(4, ReadResult.class);
        assertThat(read.data()).isEqualTo(data);
        assertThat(read.eof()).isTrue();
        assertThat(r.result(5, StateIdResult.class).stateId()).isEqualTo(StateId.INVALID);
        assertThat(server.opens().openCount(s.clientId())).isZero();
    }

    @Test
    void destroyClientid_withOpensUnderAnUnexpiredLease_clientIdBusy() {
        Session s = newSession();
        CompoundReply r = call(new SequenceArgs(s.id(), 1, 0, 0, false), VoidArgs.PUTROOTFH,
                open("f", new OpenHow.Unchecked(Fattr4.EMPTY), ACCESS_READ, DENY_WRITE));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(server.opens().openCount(s.clientId())).isEqualTo(1);

        assertThat(call(new DestroySessionArgs(s.id())).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(call(new DestroyClientidArgs(s.clientId())).status()).isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);

        assertThat(server.opens().openCount(s.clientId())).isEqualTo(1);
    }

    @Test
    void readFailure_stopsTheCompoundThere() {
        Session s = newSession();
        CompoundReply r = call(new SequenceArgs(s.id(), 1, 0, 0, false), VoidArgs.PUTROOTFH,
                new ReadArgs(StateId.ANONYMOUS, 0, 10), VoidArgs.GETFH);
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_ISDIR);
        assertThat(r.opcodes()).containsExactly(Opcode.SEQUENCE, Opcode.PUTROOTFH, Opcode.READ);
    }

    @Test
    void openLockThenDestroyClientid_closeRefusedWhileLocked_destroyBusyWhileLocked() {
        Session s = newSession();
        CompoundReply r = call(new SequenceArgs(s.id(), 1, 0, 0, false), VoidArgs.PUTROOTFH,
                open("f", new OpenHow.Unchecked(Fattr4.EMPTY), ACCESS_BOTH, DENY_NONE),
                new LockArgs(LockType.WRITE_LT, false, 0, -1L, new Locker.NewOwner(0, StateId.CURRENT, 0,
                        new OpenOwner(0, "lock-owner".getBytes(StandardCharsets.UTF_8)))),
                new CloseArgs(0, StateId.CURRENT));
        // the current stateid after LOCK is the lock stateid, which is no open: CLOSE fails
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        StateId open = r.result(2, OpenResult.class).stateId();
        assertThat(r.result(3, StateIdResult.class).stateId().seqid()).isEqualTo(1);
        assertThat(server.locks().lockStateCount(s.clientId())).isEqualTo(1);

        CompoundReply close = call(new SequenceArgs(s.id(), 2, 0, 0, false), VoidArgs.PUTROOTFH,
                org.jnfsd.protocol.nfs4.namespace.LookupArgs.of("f"), new CloseArgs(0, open));
        assertThat(close.status()).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);

        assertThat(call(new DestroySessionArgs(s.id())).status()).isEqualTo(NfsStatus.NFS4_OK);
        // locks (and opens) under an unexpired lease keep the client busy (RFC 8881 §18.50.3)
        assertThat(call(new DestroyClientidArgs(s.clientId())).status()).isEqualTo(NfsStatus.NFS4ERR_CLIENTID_BUSY);
        assertThat(server.locks().lockStateCount(s.clientId())).isEqualTo(1);
        assertThat(server.opens().openCount(s.clientId())).isEqualTo(1);
    }
}

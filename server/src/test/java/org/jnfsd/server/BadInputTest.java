package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed and out-of-place input sent over real TCP: each gets the right RPC or NFS status, and
 * the server goes on serving that connection and others.
 */
class BadInputTest {
    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC()))).port(0).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nullProcedure_isAnswered() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            int xid = rpc.call(RawRpc.NFS, 4, 0, e -> {});
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.xid()).isEqualTo(xid);
            assertThat(r.acceptStat()).isZero();
        }
    }

    @Test
    void compound_minorVersion3_isMinorVersMismatch() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            rpc.call(RawRpc.NFS, 4, 1, e -> e.writeUtf8("t").writeInt(3).writeInt(1).writeInt(Opcode.PUTROOTFH.code()));
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_MINOR_VERS_MISMATCH.code());
            assertThat(r.body().readUtf8(10)).isEqualTo("t");
            assertThat(r.body().readInt()).as("no results").isZero();
        }
    }

    @Test
    void compound_withoutSequence_isOpNotInSession() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            rpc.call(RawRpc.NFS, 4, 1, e -> e.writeUtf8("").writeInt(1).writeInt(2)
                    .writeInt(Opcode.PUTROOTFH.code()).writeInt(Opcode.GETFH.code()));
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION.code());
            r.body().readOpaque(10);
            assertThat(r.body().readInt()).as("one result").isEqualTo(1);
            assertThat(r.body().readInt()).isEqualTo(Opcode.PUTROOTFH.code());
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION.code());
            assertStillServing(rpc);
        }
    }

    @Test
    void compound_unknownOpcode_isOpIllegal() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            rpc.call(RawRpc.NFS, 4, 1, e -> e.writeUtf8("").writeInt(1).writeInt(1).writeInt(9999));
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL.code());
            r.body().readOpaque(10);
            assertThat(r.body().readInt()).isEqualTo(1);
            assertThat(r.body().readInt()).isEqualTo(Opcode.ILLEGAL.code());
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL.code());
            assertStillServing(rpc);
        }
    }

    @Test
    void compound_absurdOperationCount_isTooManyOps() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            rpc.call(RawRpc.NFS, 4, 1, e -> e.writeUtf8("").writeInt(1).writeInt(1_000_000));
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_TOO_MANY_OPS.code());
            assertStillServing(rpc);
        }
    }

    @Test
    void compound_10000OperationsStartingWithSequence_theSequenceResultCarriesTooManyOps() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            // RFC 8881 §15.2: the error goes in the SEQUENCE result; issue 16 found zero results
            rpc.call(RawRpc.NFS, 4, 1, e -> {
                e.writeUtf8("big").writeInt(1).writeInt(10_000);
                e.writeInt(Opcode.SEQUENCE.code()).writeFixedOpaque(new byte[16]).writeInt(1).writeInt(0).writeInt(0)
                        .writeBool(false);
                for (int i = 1; i < 10_000; i++) {
                    e.writeInt(Opcode.PUTROOTFH.code());
                }
            });
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_TOO_MANY_OPS.code());
            assertThat(r.body().readUtf8(10)).isEqualTo("big");
            assertThat(r.body().readInt()).as("one result: SEQUENCE's").isEqualTo(1);
            assertThat(r.body().readInt()).isEqualTo(Opcode.SEQUENCE.code());
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_TOO_MANY_OPS.code());
            assertThat(r.body().remaining()).isZero();
            assertStillServing(rpc);
        }
    }

    @Test
    void oversizedString_isBadXdr_andConnectionKeepsServing() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            // EXCHANGE_ID whose client owner claims a million bytes the record does not hold
            rpc.call(RawRpc.NFS, 4, 1, e -> e.writeUtf8("").writeInt(1).writeInt(1)
                    .writeInt(Opcode.EXCHANGE_ID.code()).writeLong(42).writeInt(1_000_000).writeInt(0));
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.body().readInt()).isEqualTo(NfsStatus.NFS4ERR_BADXDR.code());
            assertStillServing(rpc);
        }
    }

    @Test
    void garbageCompoundHeader_isGarbageArgs() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            rpc.call(RawRpc.NFS, 4, 1, e -> e.writeInt(2_000_000)); // a tag longer than the record
            RawRpc.Reply r = rpc.readReply();
            assertThat(r.replyStat()).isZero();
            assertThat(r.acceptStat()).as("GARBAGE_ARGS").isEqualTo(4);
            assertStillServing(rpc);
        }
    }

    @Test
    void unknownProgramVersionProcedure_getTheirReplies() throws Exception {
        try (RawRpc rpc = new RawRpc(address)) {
            rpc.call(100005, 3, 0, e -> {});
            assertThat(rpc.readReply().acceptStat()).as("PROG_UNAVAIL").isEqualTo(1);
            rpc.call(RawRpc.NFS, 3, 0, e -> {});
            RawRpc.Reply mismatch = rpc.readReply();
            assertThat(mismatch.acceptStat()).as("PROG_MISMATCH").isEqualTo(2);
            assertThat(mismatch.body().readInt()).isEqualTo(4);
            assertThat(mismatch.body().readInt()).isEqualTo(4);
            rpc.call(RawRpc.NFS, 4, 7, e -> {});
            assertThat(rpc.readReply().acceptStat()).as("PROC_UNAVAIL").isEqualTo(3);
        }
    }

    @Test
    void truncatedRecord_doesNotDisturbOtherConnections() throws Exception {
        try (RawRpc broken = new RawRpc(address); RawRpc healthy = new RawRpc(address)) {
            broken.sendRaw(new byte[] {(byte) 0x80, 0, 0, 100, 1, 2, 3});
            broken.close();
            int xid = healthy.call(RawRpc.NFS, 4, 0, e -> {});
            assertThat(healthy.readReply().xid()).isEqualTo(xid);
        }
    }

    @Test
    void truncatedCallMessage_inACompleteRecord_leavesOtherConnectionsServing() throws Exception {
        try (RawRpc broken = new RawRpc(address); RawRpc healthy = new RawRpc(address)) {
            // a whole record holding only the xid and CALL: the call header is cut short
            broken.sendRaw(new byte[] {(byte) 0x80, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0});
            assertStillServing(healthy);
        }
    }

    /** The same connection answers a NULL call, and so does a new one. */
    private void assertStillServing(RawRpc same) throws Exception {
        int xid = same.call(RawRpc.NFS, 4, 0, e -> {});
        assertThat(same.readReply().xid()).as("same connection").isEqualTo(xid);
        try (RawRpc other = new RawRpc(address)) {
            int otherXid = other.call(RawRpc.NFS, 4, 0, e -> {});
            assertThat(other.readReply().xid()).as("another connection").isEqualTo(otherXid);
        }
    }
}

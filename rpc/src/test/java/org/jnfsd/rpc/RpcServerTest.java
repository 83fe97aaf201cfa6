package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server side, driven with hand-crafted bytes over plain sockets. */
class RpcServerTest {
    private static final int MAX_RECORD = 4096;

    private final TestProgram program = new TestProgram();
    private final PooledByteBufAllocator alloc = CountingAllocator.create();
    private RpcServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        server = RpcServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).allocator(alloc).maxRecordSize(MAX_RECORD)
                .program(program).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        program.release.countDown();
        server.close();
        assertThat(CountingAllocator.live(alloc)).as("buffers not released").isZero();
    }

    @Test
    void start_portZero_bindsEphemeralLoopbackPort() {
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isPositive();
    }

    @Test
    void start_twice_isRefused() {
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void call_nullProcedure_answersEmptySuccessExactly() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            c.sendRecord(Msg.call(0x1234, 0).bytes());
            byte[] reply = c.readRecord();
            // xid, REPLY, MSG_ACCEPTED, verifier AUTH_NONE with empty body, SUCCESS
            assertThat(reply).isEqualTo(new Msg().i(0x1234, 1, 0, 0, 0, 0).bytes());
        }
    }

    @Test
    void call_multiFragmentRecord_isReassembled() throws IOException {
        byte[] message = Msg.call(7, TestProgram.ECHO).i(0xCAFE).bytes();
        try (RawConnection c = new RawConnection(address)) {
            c.sendRecord(message, 3, 0, 10, 1);
            RpcReply reply = c.readReply();
            assertThat(reply.xid()).isEqualTo(7);
            assertThat(reply.isSuccess()).isTrue();
            assertThat(reply.decoder().readInt()).isEqualTo(0xCAFE);
        }
    }

    @Test
    void call_oversizedRecord_closesOnlyThatConnection() throws IOException {
        try (RawConnection other = new RawConnection(address); RawConnection bad = new RawConnection(address)) {
            assertThat(other.call(Msg.call(1, 0).bytes()).isSuccess()).isTrue();
            // only the record mark: the limit must be enforced before the bytes arrive
            bad.sendRaw(new Msg().i(RpcMessages.LAST_FRAGMENT | (MAX_RECORD + 1)).bytes());
            assertThat(bad.closedByPeer()).isTrue();
            RpcReply reply = other.call(Msg.call(2, TestProgram.ECHO).i(5).bytes());
            assertThat(reply.xid()).isEqualTo(2);
            assertThat(reply.decoder().readInt()).isEqualTo(5);
        }
    }

    @Test
    void call_fragmentsSummingOverLimit_closesConnection() throws IOException {
        try (RawConnection bad = new RawConnection(address)) {
            byte[] half = new byte[MAX_RECORD / 2 + 4];
            bad.sendRaw(new Msg().i(half.length).raw(half).i(half.length).bytes());
            assertThat(bad.closedByPeer()).isTrue();
        }
    }

    @Test
    void call_recordAtLimit_isServed() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            byte[] header = Msg.call(3, TestProgram.ECHO).i(9).bytes();
            byte[] message = Arrays.copyOf(header, MAX_RECORD); // trailing zeroes are ignored by ECHO
            RpcReply reply = c.call(message);
            assertThat(reply.decoder().readInt()).isEqualTo(9);
        }
    }

    @Test
    void connection_truncatedRecordAtEof_isClosedAndServerKeepsServing() throws IOException {
        try (RawConnection bad = new RawConnection(address)) {
            bad.sendRaw(new Msg().i(RpcMessages.LAST_FRAGMENT | 100).i(1, 0, 2).bytes());
            bad.shutdownOutput();
            assertThat(bad.closedByPeer()).isTrue();
        }
        try (RawConnection c = new RawConnection(address)) {
            assertThat(c.call(Msg.call(4, 0).bytes()).isSuccess()).isTrue();
        }
    }

    @Test
    void call_unknownProgram_answersProgUnavail() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(Msg.call(5, 2, 100003, 4, 0, 0, new byte[0]).bytes());
            assertThat(reply.xid()).isEqualTo(5);
            assertThat(reply.acceptStat()).isEqualTo(AcceptStat.PROG_UNAVAIL);
        }
    }

    @Test
    void call_unsupportedVersion_answersProgMismatchWithRange() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            byte[] reply = c.sendAndRead(Msg.call(6, 2, TestProgram.PROGRAM, 7, 0, 0, new byte[0]).bytes());
            assertThat(reply).isEqualTo(new Msg().i(6, 1, 0, 0, 0, AcceptStat.PROG_MISMATCH.code(), 1, 2).bytes());
        }
    }

    @Test
    void call_unknownProcedure_answersProcUnavail() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(Msg.call(8, 99).bytes());
            assertThat(reply.acceptStat()).isEqualTo(AcceptStat.PROC_UNAVAIL);
        }
    }

    @Test
    void call_malformedArguments_answersGarbageArgs() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(Msg.call(9, TestProgram.ECHO).bytes()); // ECHO without its int
            assertThat(reply.xid()).isEqualTo(9);
            assertThat(reply.acceptStat()).isEqualTo(AcceptStat.GARBAGE_ARGS);
        }
    }

    @Test
    void call_truncatedHeaderWithReadableXid_answersGarbageArgs() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(new Msg().i(10, RpcMessages.CALL, 2, TestProgram.PROGRAM).bytes());
            assertThat(reply.xid()).isEqualTo(10);
            assertThat(reply.acceptStat()).isEqualTo(AcceptStat.GARBAGE_ARGS);
        }
    }

    @Test
    void call_unreadableRecord_isDroppedAndConnectionKeepsServing() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            c.sendRecord(new byte[] {1, 2, 3});
            c.sendRecord(new Msg().i(11, 7).bytes()); // msg_type 7: neither call nor reply
            c.sendRecord(new Msg().i(12, RpcMessages.REPLY, 0).bytes()); // a reply nobody waits for
            RpcReply reply = c.call(Msg.call(13, 0).bytes());
            assertThat(reply.xid()).isEqualTo(13);
            assertThat(reply.isSuccess()).isTrue();
        }
    }

    @Test
    void call_programThrowsRuntimeException_answersSystemErr() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(Msg.call(14, TestProgram.THROW).bytes());
            assertThat(reply.acceptStat()).isEqualTo(AcceptStat.SYSTEM_ERR);
            assertThat(reply.results()).isEmpty();
        }
    }

    @Test
    void call_rpcVersion3_answersRpcMismatch2To2() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            byte[] reply = c.sendAndRead(Msg.call(15, 3, TestProgram.PROGRAM, 1, 0, 0, new byte[0]).bytes());
            // xid, REPLY, MSG_DENIED, RPC_MISMATCH, low 2, high 2
            assertThat(reply).isEqualTo(new Msg().i(15, 1, 1, 0, 2, 2).bytes());
        }
    }

    @Test
    void call_authSys_deliversFieldsExactly() throws IOException {
        byte[] cred = Msg.authSysBody(0x5eed, "client.example", 1000, 100, 4, 27, 1000);
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(Msg.call(16, 2, TestProgram.PROGRAM, 1, TestProgram.WHOAMI, 1, cred).bytes());
            XdrDecoder d = reply.decoder();
            assertThat(d.readInt()).isEqualTo(1);
            assertThat(d.readInt()).isEqualTo(0x5eed);
            assertThat(d.readAscii(255)).isEqualTo("client.example");
            assertThat(d.readInt()).isEqualTo(1000);
            assertThat(d.readInt()).isEqualTo(100);
            assertThat(d.readBitmap(16)).containsExactly(4, 27, 1000);
            assertThat(d.hasRemaining()).isFalse();
        }
    }

    @Test
    void call_authSysWithSixteenGidsAndLongestName_isAccepted() throws IOException {
        int[] gids = new int[16];
        Arrays.setAll(gids, i -> i + 1);
        byte[] cred = Msg.authSysBody(1, "m".repeat(255), 0, 0, gids);
        try (RawConnection c = new RawConnection(address)) {
            RpcReply reply = c.call(Msg.call(17, 2, TestProgram.PROGRAM, 1, TestProgram.WHOAMI, 1, cred).bytes());
            assertThat(reply.isSuccess()).isTrue();
        }
    }

    @Test
    void call_authSysWithSeventeenGids_answersAuthBadcred() throws IOException {
        int[] gids = new int[17];
        assertDenied(Msg.call(18, 2, TestProgram.PROGRAM, 1, 0, 1, Msg.authSysBody(1, "m", 0, 0, gids)),
                AuthStat.AUTH_BADCRED);
    }

    @Test
    void call_authSysWithLongMachineName_answersAuthBadcred() throws IOException {
        assertDenied(Msg.call(19, 2, TestProgram.PROGRAM, 1, 0, 1, Msg.authSysBody(1, "m".repeat(256), 0, 0)),
                AuthStat.AUTH_BADCRED);
    }

    @Test
    void call_authSysWithBytesLeftOver_answersAuthBadcred() throws IOException {
        byte[] body = new Msg().raw(Msg.authSysBody(1, "m", 0, 0)).i(0).bytes();
        assertDenied(Msg.call(20, 2, TestProgram.PROGRAM, 1, 0, 1, body), AuthStat.AUTH_BADCRED);
    }

    @Test
    void call_authSysTruncated_answersAuthBadcred() throws IOException {
        byte[] body = Arrays.copyOf(Msg.authSysBody(1, "m", 0, 0, 5), 16);
        assertDenied(Msg.call(21, 2, TestProgram.PROGRAM, 1, 0, 1, body), AuthStat.AUTH_BADCRED);
    }

    @Test
    void call_credentialBodyOver400Bytes_answersAuthBadcred() throws IOException {
        assertDenied(Msg.call(22, 2, TestProgram.PROGRAM, 1, 0, 1, new byte[404]), AuthStat.AUTH_BADCRED);
    }

    @Test
    void call_authNoneWithBody_answersAuthBadcred() throws IOException {
        assertDenied(Msg.call(23, 2, TestProgram.PROGRAM, 1, 0, 0, new byte[4]), AuthStat.AUTH_BADCRED);
    }

    @Test
    void call_rpcsecGssFlavor_answersAuthTooweak() throws IOException {
        assertDenied(Msg.call(24, 2, TestProgram.PROGRAM, 1, 0, 6, new byte[20]), AuthStat.AUTH_TOOWEAK);
    }

    @Test
    void call_verifierNotAuthNone_answersAuthBadverf() throws IOException {
        Msg m = new Msg().i(25, RpcMessages.CALL, 2, TestProgram.PROGRAM, 1, 0, 0, 0, 1).opaque(new byte[8]);
        assertDenied(m, AuthStat.AUTH_BADVERF);
    }

    @Test
    void close_openConnections_areClosed() throws IOException {
        try (RawConnection c = new RawConnection(address)) {
            assertThat(c.call(Msg.call(26, 0).bytes()).isSuccess()).isTrue();
            server.close();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    private void assertDenied(Msg call, AuthStat expected) throws IOException {
        byte[] message = call.bytes();
        int xid = new XdrDecoder(io.netty.buffer.Unpooled.wrappedBuffer(message)).readInt();
        try (RawConnection c = new RawConnection(address)) {
            byte[] reply = c.sendAndRead(message);
            // xid, REPLY, MSG_DENIED, AUTH_ERROR, auth_stat
            assertThat(reply).isEqualTo(new Msg().i(xid, 1, 1, 1, expected.code()).bytes());
            // the connection keeps serving
            assertThat(c.call(Msg.call(xid + 1000, 0).bytes()).isSuccess()).isTrue();
        }
    }
}

package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.RawConnection.Msg;
import org.junit.jupiter.api.Test;

class RpcMessagesTest {

    private static RpcReply decode(Msg m) {
        return RpcMessages.decodeReply(Unpooled.wrappedBuffer(m.bytes()));
    }

    @Test
    void decodeReply_success_keepsResults() {
        RpcReply r = decode(new Msg().i(5, 1, 0, 0, 0, 0, 42, 43));
        assertThat(r.status()).isEqualTo(RpcReply.Status.ACCEPTED);
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.results()).isEqualTo(new Msg().i(42, 43).bytes());
    }

    @Test
    void decodeReply_rpcMismatch_givesRange() {
        RpcReply r = decode(new Msg().i(5, 1, 1, 0, 3, 4));
        assertThat(r.status()).isEqualTo(RpcReply.Status.DENIED_RPC_MISMATCH);
        assertThat(r.acceptStat()).isNull();
        assertThat(r.mismatchLow()).isEqualTo(3);
        assertThat(r.mismatchHigh()).isEqualTo(4);
    }

    @Test
    void decodeReply_authError_givesAuthStat() {
        RpcReply r = decode(new Msg().i(5, 1, 1, 1, 5));
        assertThat(r.status()).isEqualTo(RpcReply.Status.DENIED_AUTH_ERROR);
        assertThat(r.authStat()).isEqualTo(AuthStat.AUTH_TOOWEAK);
        assertThat(r.isSuccess()).isFalse();
    }

    @Test
    void decodeReply_malformed_throwsXdrException() {
        assertThatThrownBy(() -> decode(new Msg().i(5, 1, 2))).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> decode(new Msg().i(5, 1, 0, 0, 0, 9))).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> decode(new Msg().i(5, 1, 1, 1, 99))).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> decode(new Msg().i(5, 0))).isInstanceOf(XdrException.class);
        assertThatThrownBy(() -> decode(new Msg().i(5, 1, 0, 0))).isInstanceOf(XdrException.class);
    }

    @Test
    void sealRecord_patchesLastFragmentMark() {
        ByteBuf buf = RpcMessages.startRecord(UnpooledByteBufAllocator.DEFAULT);
        try {
            buf.writeInt(7).writeInt(8);
            RpcMessages.sealRecord(buf);
            assertThat(buf.getInt(0)).isEqualTo(RpcMessages.LAST_FRAGMENT | 8);
        } finally {
            buf.release();
        }
    }

    @Test
    void writeCallHeader_authSys_isReadBackByTheServerSide() throws Exception {
        Credential.AuthSys cred = new Credential.AuthSys(9, "abcde", 1, 2, new int[] {3, 4});
        ByteBuf buf = Unpooled.buffer();
        try {
            readBack(buf, cred);
        } finally {
            buf.release();
        }
    }

    private static void readBack(ByteBuf buf, Credential.AuthSys cred) throws Exception {
        RpcMessages.writeCallHeader(new XdrEncoder(buf), 77, 100003, 4, 1, cred);
        XdrDecoder in = new XdrDecoder(buf);
        assertThat(new int[] {in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt()})
                .containsExactly(77, RpcMessages.CALL, 2, 100003, 4, 1);
        Credential read = Authentication.readCredentialAndVerifier(in);
        assertThat(read).isInstanceOfSatisfying(Credential.AuthSys.class, s -> {
            assertThat(s.stamp()).isEqualTo(9);
            assertThat(s.machineName()).isEqualTo("abcde");
            assertThat(s.uid()).isEqualTo(1);
            assertThat(s.gid()).isEqualTo(2);
            assertThat(s.gids()).containsExactly(3, 4);
        });
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void writeCallHeader_authSysOverLimits_throws() {
        Credential.AuthSys cred = new Credential.AuthSys(9, "m", 1, 2, new int[17]);
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> RpcMessages.writeCallHeader(new XdrEncoder(buf), 1, 1, 1, 1, cred))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            buf.release();
        }
    }
}

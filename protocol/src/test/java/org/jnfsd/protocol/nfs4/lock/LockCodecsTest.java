package org.jnfsd.protocol.nfs4.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoders;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.junit.jupiter.api.Test;

class LockCodecsTest {
    private static final StateId SID = new StateId(7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    private static final OpenOwner OWNER = new OpenOwner(0x1122334455667788L, "lock-1".getBytes(StandardCharsets.UTF_8));

    @Test
    void lockArgs_bothLockers_roundTrip() {
        for (Locker l : new Locker[] {new Locker.NewOwner(3, SID, 4, OWNER), new Locker.ExistingOwner(SID, 9)}) {
            LockArgs a = new LockArgs(LockType.WRITEW_LT, true, -2L, -1L, l);
            assertThat(roundTrip(a, LockArgs::decode)).isEqualTo(a);
        }
    }

    @Test
    void locktAndLockuAndReleaseLockownerArgs_roundTrip() {
        LocktArgs t = new LocktArgs(LockType.READ_LT, 5, 10, OWNER);
        assertThat(roundTrip(t, LocktArgs::decode)).isEqualTo(t);
        LockuArgs u = new LockuArgs(LockType.READW_LT, 2, SID, Long.MIN_VALUE, 1);
        assertThat(roundTrip(u, LockuArgs::decode)).isEqualTo(u);
        ReleaseLockownerArgs r = new ReleaseLockownerArgs(OWNER);
        assertThat(roundTrip(r, ReleaseLockownerArgs::decode)).isEqualTo(r);
    }

    @Test
    void lockType_unknownValue_badXdr() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new XdrEncoder(buf).writeInt(5).writeBool(false).writeLong(0).writeLong(1);
            assertThatThrownBy(() -> LockArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class)
                    .extracting(e -> ((XdrException) e).status()).isEqualTo(NfsStatus.NFS4ERR_BADXDR);
        } finally {
            buf.release();
        }
    }

    @Test
    void lockResults_okDeniedAndOtherStatus_decodeAsTheyEncode() {
        LockDeniedResult denied = new LockDeniedResult(new LockDenied(100, -1L, LockType.WRITE_LT, OWNER));
        for (Opcode op : new Opcode[] {Opcode.LOCK, Opcode.LOCKT}) {
            assertThat(resultRoundTrip(op, denied)).isEqualTo(denied);
            assertThat(resultRoundTrip(op, StatusResult.of(NfsStatus.NFS4ERR_INVAL)))
                    .isEqualTo(StatusResult.of(NfsStatus.NFS4ERR_INVAL));
        }
        assertThat(resultRoundTrip(Opcode.LOCK, new StateIdResult(SID))).isEqualTo(new StateIdResult(SID));
        assertThat(resultRoundTrip(Opcode.LOCKT, StatusResult.OK)).isEqualTo(StatusResult.OK);
        assertThat(resultRoundTrip(Opcode.LOCKU, new StateIdResult(SID))).isEqualTo(new StateIdResult(SID));
    }

    private static <T extends OpArgs> T roundTrip(T args, Function<XdrDecoder, T> decode) {
        ByteBuf buf = Unpooled.buffer();
        try {
            args.encode(new XdrEncoder(buf));
            T decoded = decode.apply(new XdrDecoder(buf));
            assertThat(buf.isReadable()).isFalse();
            return decoded;
        } finally {
            buf.release();
        }
    }

    private static OpResult resultRoundTrip(Opcode op, OpResult r) {
        ByteBuf buf = Unpooled.buffer();
        try {
            r.encode(new XdrEncoder(buf));
            OpResult decoded = ResultDecoders.decode(op, new XdrDecoder(buf));
            assertThat(buf.isReadable()).isFalse();
            return decoded;
        } finally {
            buf.release();
        }
    }
}

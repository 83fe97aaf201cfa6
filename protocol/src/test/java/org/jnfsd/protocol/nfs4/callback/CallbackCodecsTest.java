package org.jnfsd.protocol.nfs4.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CallbackCodecsTest {
    static final SessionId SID = new SessionId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    static final StateId STATE = new StateId(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    static final byte[] FH = {9, 9, 9};

    static byte[] bytes(Consumer<XdrEncoder> enc) {
        ByteBuf buf = Unpooled.buffer();
        try {
            enc.accept(new XdrEncoder(buf));
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    static XdrDecoder decoder(byte[] b) {
        return new XdrDecoder(Unpooled.wrappedBuffer(b));
    }

    static Stream<CbArgs> args() {
        return Stream.of(
                new CbSequenceArgs(SID, 5, 1, 3, true, List.of(new CbSequenceArgs.ReferringCallList(SID,
                        List.of(new CbSequenceArgs.ReferringCall(7, 0), new CbSequenceArgs.ReferringCall(8, 2))))),
                new CbSequenceArgs(SID, 1, 0, 0, false, List.of()),
                new CbRecallArgs(STATE, true, FH),
                new CbGetattrArgs(FH, new int[] {0x18, 0}),
                new CbRecallAnyArgs(2, new int[] {3}),
                new CbNotifyLockArgs(FH, 0x1122334455667788L, new byte[] {4, 5}),
                new CbOffloadArgs(FH, STATE, NfsStatus.NFS4_OK, Optional.of(STATE), 4096, 2, new byte[8]),
                new CbOffloadArgs(FH, STATE, NfsStatus.NFS4_OK, Optional.empty(), 0, 0, new byte[8]),
                CbOffloadArgs.failed(FH, STATE, NfsStatus.NFS4ERR_NOSPC, 100));
    }

    @ParameterizedTest
    @MethodSource("args")
    void cbArgs_eachOperation_roundTripsInsideACompound(CbArgs op) {
        CbCompoundArgs c = new CbCompoundArgs(new byte[] {'t'}, 1, 0, List.of(op));
        byte[] wire = bytes(c::encode);
        CbCompoundArgs back = CbCompoundArgs.decode(decoder(wire));
        assertThat(back.operations()).hasSize(1);
        assertThat(back.operations().get(0).opcode()).isEqualTo(op.opcode());
        assertThat(bytes(back::encode)).isEqualTo(wire);
    }

    @Test
    void cbCompoundArgs_header_isTagMinorIdentThenOpcodes() {
        CbCompoundArgs c = new CbCompoundArgs(new byte[0], 1, 0,
                List.of(new CbSequenceArgs(SID, 1, 0, 0, false, List.of()), new CbRecallArgs(STATE, false, FH)));
        XdrDecoder in = decoder(bytes(c::encode));
        assertThat(in.readInt()).as("tag length").isZero();
        assertThat(in.readInt()).as("minorversion").isEqualTo(1);
        assertThat(in.readInt()).as("callback_ident").isZero();
        assertThat(in.readInt()).as("ops").isEqualTo(2);
        assertThat(in.readInt()).isEqualTo(11); // OP_CB_SEQUENCE
        assertThat(SessionId.decode(in)).isEqualTo(SID);
        assertThat(new int[] {in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt()}).containsExactly(1, 0, 0, 0, 0);
        assertThat(in.readInt()).isEqualTo(4); // OP_CB_RECALL
    }

    @Test
    void cbCompoundResult_sequenceGetattrAndStatus_roundTrip() {
        CbCompoundResult r = new CbCompoundResult(NfsStatus.NFS4ERR_DELAY, new byte[] {'x'}, List.of(
                new CbSequenceResult(NfsStatus.NFS4_OK, SID, 4, 1, 3, 7),
                new CbGetattrResult(NfsStatus.NFS4_OK, new Fattr4(new int[] {0x18}, new byte[16])),
                new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4ERR_DELAY)));
        byte[] wire = bytes(r::encode);
        CbCompoundResult back = CbCompoundResult.decode(decoder(wire));
        assertThat(back.status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(back.results().get(0)).isEqualTo(r.results().get(0));
        assertThat(back.results().get(2)).isEqualTo(r.results().get(2));
        assertThat(bytes(back::encode)).isEqualTo(wire);
    }

    @Test
    void cbSequenceResult_error_hasNoBody() {
        byte[] wire = bytes(CbSequenceResult.error(NfsStatus.NFS4ERR_BADSLOT)::encode);
        assertThat(wire).hasSize(4);
        assertThat(CbSequenceResult.decode(decoder(wire)).status()).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
    }

    @Test
    void cbArgs_unknownOperation_failsWithOpIllegal() {
        byte[] wire = bytes(out -> out.writeInt(6)); // CB_NOTIFY: not supported
        assertThatThrownBy(() -> CbArgs.decode(decoder(wire))).isInstanceOf(XdrException.class)
                .extracting(e -> ((XdrException) e).status()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL);
    }

    @Test
    void cbCompoundArgs_hugeOperationCount_rejectedBeforeAllocating() {
        byte[] wire = bytes(out -> out.writeOpaque(new byte[0]).writeInt(1).writeInt(0).writeInt(1_000_000));
        assertThatThrownBy(() -> CbCompoundArgs.decode(decoder(wire))).isInstanceOf(XdrException.class);
    }
}

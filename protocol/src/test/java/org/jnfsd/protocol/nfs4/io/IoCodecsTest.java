package org.jnfsd.protocol.nfs4.io;

import io.netty.buffer.ByteBuf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoders;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IoCodecsTest {
    private static final StateId SID = new StateId(7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    private static final Verifier VERF = new Verifier(new byte[] {9, 8, 7, 6, 5, 4, 3, 2});
    private static final Fattr4 ATTRS = new Fattr4(new int[] {0, 2}, new byte[] {0, 0, 1, (byte) 0xa4});
    private static final OpenOwner OWNER = new OpenOwner(0x1122334455667788L, "owner-1".getBytes(StandardCharsets.UTF_8));

    static Stream<OpenHow> openHows() {
        return Stream.of(new OpenHow.NoCreate(), new OpenHow.Unchecked(ATTRS), new OpenHow.Guarded(Fattr4.EMPTY),
                new OpenHow.Exclusive(VERF), new OpenHow.Exclusive41(VERF, ATTRS));
    }

    static Stream<OpenClaim> openClaims() {
        return Stream.of(new OpenClaim.Null("file.txt"), new OpenClaim.Previous(OpenDelegation.OPEN_DELEGATE_READ),
                new OpenClaim.DelegateCur(SID, "cur"), new OpenClaim.DelegatePrev("prev"), new OpenClaim.Fh(),
                new OpenClaim.DelegCurFh(SID), new OpenClaim.DelegPrevFh());
    }

    static Stream<OpenDelegation> delegations() {
        Ace ace = new Ace(0, 0, 0x1f, "EVERYONE@");
        return Stream.of(OpenDelegation.NONE, new OpenDelegation.Read(SID, true, ace),
                new OpenDelegation.Write(SID, false, new SpaceLimit.Size(1L << 40), ace),
                new OpenDelegation.Write(SID, true, new SpaceLimit.Blocks(100, 4096), ace),
                new OpenDelegation.Read(SID, false, ace, true),
                new OpenDelegation.Write(SID, false, new SpaceLimit.Size(1L << 40), ace, true),
                OpenDelegation.NoneExt.of(OpenDelegation.WND4_NOT_WANTED),
                new OpenDelegation.NoneExt(OpenDelegation.WND4_CONTENTION, true),
                new OpenDelegation.NoneExt(OpenDelegation.WND4_RESOURCE, true),
                OpenDelegation.NoneExt.of(OpenDelegation.WND4_RESOURCE),
                OpenDelegation.NoneExt.of(OpenDelegation.WND4_NOT_SUPP_FTYPE),
                OpenDelegation.NoneExt.of(OpenDelegation.WND4_IS_DIR));
    }

    @ParameterizedTest
    @MethodSource("openHows")
    void openArgs_everyCreateHow_roundTrips(OpenHow how) {
        OpenArgs args = new OpenArgs(0, ShareAccess.ACCESS_BOTH | ShareAccess.WANT_NO_DELEG, ShareAccess.DENY_WRITE,
                OWNER, how, new OpenClaim.Null("f"));
        assertThat(roundTrip(args, OpenArgs::decode)).usingRecursiveComparison().isEqualTo(args);
    }

    @ParameterizedTest
    @MethodSource("openClaims")
    void openArgs_everyClaim_roundTrips(OpenClaim claim) {
        OpenArgs args = new OpenArgs(0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE, OWNER, new OpenHow.NoCreate(), claim);
        OpenArgs back = roundTrip(args, OpenArgs::decode);
        assertThat(back).usingRecursiveComparison().isEqualTo(args);
        assertThat(back.claim().type()).isEqualTo(claim.type());
    }

    @ParameterizedTest
    @MethodSource("delegations")
    void openResult_everyDelegation_roundTrips(OpenDelegation d) {
        OpenResult r = new OpenResult(SID, new ChangeInfo(false, 5, 6), OpenResult.RESULT_LOCKTYPE_POSIX,
                new int[] {0, 2}, d);
        OpResult back = resultRoundTrip(Opcode.OPEN, r);
        assertThat(back).isInstanceOf(OpenResult.class).usingRecursiveComparison().isEqualTo(r);
    }

    @Test
    void openArgs_ownerOver1024Bytes_isBadXdr() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeInt(0).writeInt(1).writeInt(0).writeLong(1).writeOpaque(new byte[1025]);
            assertThatThrownBy(() -> OpenArgs.decode(new XdrDecoder(buf)))
                    .isInstanceOf(XdrException.class)
                    .extracting(e -> ((XdrException) e).status()).isEqualTo(NfsStatus.NFS4ERR_BADXDR);
        } finally {
            buf.release();
        }
    }

    @Test
    void openArgs_unknownClaimType_isBadXdr() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeInt(0).writeInt(1).writeInt(0).writeLong(1).writeOpaque(new byte[1]);
            out.writeInt(OpenHow.OPEN4_NOCREATE).writeInt(7);
            assertThatThrownBy(() -> OpenArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void openArgs_unknownCreateMode_isBadXdr() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeInt(0).writeInt(1).writeInt(0).writeLong(1).writeOpaque(new byte[1]);
            out.writeInt(OpenHow.OPEN4_CREATE).writeInt(4);
            assertThatThrownBy(() -> OpenArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void closeAndDowngradeArgs_roundTrip() {
        CloseArgs close = new CloseArgs(3, SID);
        assertThat(roundTrip(close, CloseArgs::decode)).isEqualTo(close);
        OpenDowngradeArgs down = new OpenDowngradeArgs(SID, 4, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE);
        assertThat(roundTrip(down, OpenDowngradeArgs::decode)).isEqualTo(down);
    }

    @Test
    void stateIdResult_closeAndDowngrade_roundTrip() {
        StateIdResult r = new StateIdResult(StateId.INVALID);
        assertThat(resultRoundTrip(Opcode.CLOSE, r)).isEqualTo(r);
        assertThat(resultRoundTrip(Opcode.OPEN_DOWNGRADE, new StateIdResult(SID))).isEqualTo(new StateIdResult(SID));
    }

    @Test
    void readArgs_unsignedCountAndOffset_roundTrip() {
        ReadArgs r = new ReadArgs(SID, -2L, 0xffff_fff0L);
        assertThat(roundTrip(r, ReadArgs::decode)).isEqualTo(r);
    }

    @Test
    void readResult_roundTrips() {
        ReadResult r = new ReadResult(true, new byte[] {1, 2, 3, 4, 5});
        assertThat(resultRoundTrip(Opcode.READ, r)).usingRecursiveComparison().isEqualTo(r);
        assertThat(((ReadResult) resultRoundTrip(Opcode.READ, r)).length()).isEqualTo(5);
    }

    @Test
    void writeArgs_data_roundTripsAsSliceOfRequest() {
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {10, 11, 12, 13, 14});
        ByteBuf buf = Unpooled.buffer();
        try {
            WriteArgs w = new WriteArgs(SID, 4096, StableHow.DATA_SYNC4, data);
            w.encode(new XdrEncoder(buf));
            assertThat(data.readableBytes()).isEqualTo(5);
            WriteArgs back = WriteArgs.decode(new XdrDecoder(buf));
            assertThat(back.stateId()).isEqualTo(SID);
            assertThat(back.offset()).isEqualTo(4096);
            assertThat(back.stable()).isEqualTo(StableHow.DATA_SYNC4);
            assertThat(back.data()).isEqualTo(data);
            assertThat(back.data().unwrap()).isSameAs(buf.unwrap() == null ? buf : buf.unwrap());
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
            data.release();
        }
    }

    @Test
    void writeArgs_unknownStableHow_isBadXdr() {
        ByteBuf buf = Unpooled.buffer();
        try {
            SID.encode(new XdrEncoder(buf));
            new XdrEncoder(buf).writeLong(0).writeInt(3).writeOpaque(new byte[0]);
            assertThatThrownBy(() -> WriteArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void writeAndCommitResults_roundTrip() {
        WriteResult w = new WriteResult(0xffff_ffffL, StableHow.FILE_SYNC4, VERF);
        assertThat(resultRoundTrip(Opcode.WRITE, w)).isEqualTo(w);
        CommitResult c = new CommitResult(VERF);
        assertThat(resultRoundTrip(Opcode.COMMIT, c)).isEqualTo(c);
        CommitArgs ca = new CommitArgs(-1L, 0xffff_ffffL);
        assertThat(roundTrip(ca, CommitArgs::decode)).isEqualTo(ca);
    }

    @Test
    void testAndFreeStateid_roundTrip() {
        TestStateidArgs t = new TestStateidArgs(List.of(SID, StateId.ANONYMOUS, StateId.READ_BYPASS));
        assertThat(roundTrip(t, TestStateidArgs::decode)).isEqualTo(t);
        TestStateidResult tr = new TestStateidResult(List.of(NfsStatus.NFS4_OK, NfsStatus.NFS4ERR_BAD_STATEID));
        assertThat(resultRoundTrip(Opcode.TEST_STATEID, tr)).isEqualTo(tr);
        FreeStateidArgs f = new FreeStateidArgs(SID);
        assertThat(roundTrip(f, FreeStateidArgs::decode)).isEqualTo(f);
        assertThat(resultRoundTrip(Opcode.FREE_STATEID, StatusResult.of(NfsStatus.NFS4ERR_LOCKS_HELD)))
                .isEqualTo(StatusResult.of(NfsStatus.NFS4ERR_LOCKS_HELD));
    }

    @ParameterizedTest
    @MethodSource("ioOpcodes")
    void resultDecoder_errorStatus_givesStatusResult(Opcode op) {
        assertThat(resultRoundTrip(op, StatusResult.of(NfsStatus.NFS4ERR_BAD_STATEID)))
                .isEqualTo(StatusResult.of(NfsStatus.NFS4ERR_BAD_STATEID));
    }

    static Stream<Opcode> ioOpcodes() {
        return Stream.of(Opcode.OPEN, Opcode.CLOSE, Opcode.OPEN_DOWNGRADE, Opcode.READ, Opcode.WRITE, Opcode.COMMIT,
                Opcode.TEST_STATEID, Opcode.FREE_STATEID);
    }

    @Test
    void noneExt_flagOnReasonWithoutFlag_isRejected() {
        assertThatThrownBy(() -> new OpenDelegation.NoneExt(OpenDelegation.WND4_NOT_WANTED, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static <T extends OpArgs> T roundTrip(T args, Function<XdrDecoder, T> decoder) {
        ByteBuf buf = Unpooled.buffer();
        try {
            args.encode(new XdrEncoder(buf));
            T back = decoder.apply(new XdrDecoder(buf));
            assertThat(buf.isReadable()).as("all bytes consumed").isFalse();
            return back;
        } finally {
            buf.release();
        }
    }

    private static OpResult resultRoundTrip(Opcode op, OpResult r) {
        ByteBuf buf = Unpooled.buffer();
        try {
            r.encode(new XdrEncoder(buf));
            OpResult back = ResultDecoders.decode(op, new XdrDecoder(buf));
            assertThat(buf.isReadable()).as("all bytes consumed").isFalse();
            return back;
        } finally {
            buf.release();
        }
    }
}

package org.jnfsd.protocol.nfs4.v42;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Function;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.ResultDecoders;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.junit.jupiter.api.Test;

class V42CodecsTest {
    private static final StateId SID = new StateId(7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    private static final StateId SID2 = new StateId(2, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    private static final Verifier VERF = new Verifier(new byte[] {9, 8, 7, 6, 5, 4, 3, 2});

    private static <T> T roundTrip(OpArgs args, Function<XdrDecoder, T> decode) {
        ByteBuf buf = Unpooled.buffer();
        try {
            args.encode(new XdrEncoder(buf));
            XdrDecoder in = new XdrDecoder(buf);
            T out = decode.apply(in);
            assertThat(in.hasRemaining()).isFalse();
            return out;
        } finally {
            buf.release();
        }
    }

    private static OpResult roundTrip(OpResult result, OpArgs forOpcode) {
        ByteBuf buf = Unpooled.buffer();
        try {
            result.encode(new XdrEncoder(buf));
            XdrDecoder in = new XdrDecoder(buf);
            OpResult out = ResultDecoders.decode(forOpcode.opcode(), in);
            assertThat(in.hasRemaining()).isFalse();
            return out;
        } finally {
            buf.release();
        }
    }

    @Test
    void args_everyOperation_roundTrip() {
        SeekArgs seek = new SeekArgs(SID, -5, DataContent.HOLE);
        assertThat(roundTrip(seek, SeekArgs::decode)).isEqualTo(seek);
        AllocateArgs alloc = new AllocateArgs(SID, 1L << 40, 4096);
        assertThat(roundTrip(alloc, AllocateArgs::decode)).isEqualTo(alloc);
        DeallocateArgs dealloc = new DeallocateArgs(SID, 3, Long.MAX_VALUE);
        assertThat(roundTrip(dealloc, DeallocateArgs::decode)).isEqualTo(dealloc);
        CloneArgs clone = new CloneArgs(SID, SID2, 4096, 8192, 0);
        assertThat(roundTrip(clone, CloneArgs::decode)).isEqualTo(clone);
        ReadPlusArgs rp = new ReadPlusArgs(SID, 10, 0xffffffffL);
        assertThat(roundTrip(rp, ReadPlusArgs::decode)).isEqualTo(rp);
        CopyArgs copy = new CopyArgs(SID, SID2, 1, 2, 3, true, false,
                List.of(NetLoc.name("srv"), new NetLoc(NetLoc.NL4_NETADDR, null, "tcp", "10.0.0.1.8.1")));
        assertThat(roundTrip(copy, CopyArgs::decode)).isEqualTo(copy);
        OffloadStatusArgs st = new OffloadStatusArgs(SID);
        assertThat(roundTrip(st, OffloadStatusArgs::decode)).isEqualTo(st);
        OffloadCancelArgs cancel = new OffloadCancelArgs(SID2);
        assertThat(roundTrip(cancel, OffloadCancelArgs::decode)).isEqualTo(cancel);
    }

    @Test
    void results_everyOperation_roundTrip() {
        assertThat(roundTrip(new SeekResult(true, 77), new SeekArgs(SID, 0, DataContent.DATA)))
                .isEqualTo(new SeekResult(true, 77));
        assertThat(roundTrip(StatusResult.of(NfsStatus.NFS4ERR_NXIO), new SeekArgs(SID, 0, DataContent.DATA)))
                .isEqualTo(StatusResult.of(NfsStatus.NFS4ERR_NXIO));
        assertThat(roundTrip(StatusResult.OK, new CloneArgs(SID, SID, 0, 0, 0))).isEqualTo(StatusResult.OK);
        ReadPlusResult rp = new ReadPlusResult(true,
                List.of(new ReadPlusResult.Data(0, new byte[] {1, 2, 3}), new ReadPlusResult.Hole(3, 1 << 20)));
        assertThat(roundTrip(rp, new ReadPlusArgs(SID, 0, 1))).usingRecursiveComparison().isEqualTo(rp);
        CopyResult sync = CopyResult.ok(new WriteResponse(null, 1L << 33, StableHow.FILE_SYNC4, VERF), true, true);
        assertThat(roundTrip(sync, new CopyArgs(SID, SID, 0, 0, 0, false, false, List.of()))).isEqualTo(sync);
        CopyResult async = CopyResult.ok(new WriteResponse(SID2, 0, StableHow.UNSTABLE4, VERF), false, false);
        assertThat(roundTrip(async, new CopyArgs(SID, SID, 0, 0, 0, false, false, List.of()))).isEqualTo(async);
        CopyResult noReqs = CopyResult.noReqs(true, false);
        assertThat(roundTrip(noReqs, new CopyArgs(SID, SID, 0, 0, 0, false, false, List.of()))).isEqualTo(noReqs);
        assertThat(roundTrip(new OffloadStatusResult(5, null), new OffloadStatusArgs(SID)))
                .isEqualTo(new OffloadStatusResult(5, null));
        assertThat(roundTrip(new OffloadStatusResult(5, NfsStatus.NFS4_OK), new OffloadStatusArgs(SID)))
                .isEqualTo(new OffloadStatusResult(5, NfsStatus.NFS4_OK));
    }

    @Test
    void seekArgs_unknownContent_BADXDR() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            SID.encode(out);
            out.writeLong(0).writeInt(2);
            assertThatThrownBy(() -> SeekArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void copyArgs_tooManySourceServers_rejectedBeforeAllocating() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            SID.encode(out);
            SID.encode(out);
            out.writeLong(0).writeLong(0).writeLong(0).writeBool(false).writeBool(true).writeInt(1_000_000);
            assertThatThrownBy(() -> CopyArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }
}

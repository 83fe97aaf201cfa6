package org.jnfsd.protocol.nfs4.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoders;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.junit.jupiter.api.Test;

class SessionCodecsTest {
    private static final SessionId SID = new SessionId("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    /** Encodes with {@code writer}, decodes with {@code reader}, and checks every byte was read. */
    private static <T> T roundTrip(Consumer<XdrEncoder> writer, Function<XdrDecoder, T> reader) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(new XdrEncoder(buf));
            XdrDecoder in = new XdrDecoder(buf);
            T value = reader.apply(in);
            assertThat(in.remaining()).isZero();
            return value;
        } finally {
            buf.release();
        }
    }

    private static OpResult result(Opcode op, OpResult r) {
        return roundTrip(r::encode, in -> ResultDecoders.decode(op, in));
    }

    @Test
    void exchangeIdArgs_roundTrip_sameFields() {
        ExchangeIdArgs a = new ExchangeIdArgs("12345678".getBytes(StandardCharsets.US_ASCII),
                "owner".getBytes(StandardCharsets.UTF_8), ExchangeIdArgs.FLAG_SUPP_MOVED_REFER,
                StateProtectArgs.None.INSTANCE, List.of(new ImplId("kernel.org", "Linux", new NfsTime(5, 6))));

        ExchangeIdArgs b = roundTrip(a::encode, ExchangeIdArgs::decode);

        assertThat(b.verifier()).isEqualTo(a.verifier());
        assertThat(b.ownerId()).isEqualTo(a.ownerId());
        assertThat(b.flags()).isEqualTo(a.flags());
        assertThat(b.stateProtect()).isEqualTo(StateProtectArgs.None.INSTANCE);
        assertThat(b.implId()).isEqualTo(a.implId());
    }

    @Test
    void exchangeIdArgs_machCredAndSsv_decodedWithTheirBodies() {
        ExchangeIdArgs mc = new ExchangeIdArgs(new byte[8], new byte[1], 0,
                new StateProtectArgs.MachCred(new int[] {1, 2}, new int[] {3}), List.of());
        ExchangeIdArgs ssv = new ExchangeIdArgs(new byte[8], new byte[1], 0, new StateProtectArgs.Ssv(new int[] {1},
                new int[0], List.of(new byte[] {1, 2, 3}), List.of(new byte[5], new byte[6]), 7, 8), List.of());

        StateProtectArgs.MachCred m = (StateProtectArgs.MachCred) roundTrip(mc::encode, ExchangeIdArgs::decode)
                .stateProtect();
        StateProtectArgs.Ssv s = (StateProtectArgs.Ssv) roundTrip(ssv::encode, ExchangeIdArgs::decode).stateProtect();

        assertThat(m.mustEnforce()).containsExactly(1, 2);
        assertThat(m.mustAllow()).containsExactly(3);
        assertThat(s.hashAlgs()).hasSize(1);
        assertThat(s.encrAlgs()).hasSize(2);
        assertThat(s.window()).isEqualTo(7);
        assertThat(s.numGssHandles()).isEqualTo(8);
    }

    @Test
    void exchangeIdArgs_ownerIdOverLimit_xdrException() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeFixedOpaque(new byte[8]).writeOpaque(new byte[ExchangeIdArgs.MAX_OWNER_ID + 1]);
            assertThatThrownBy(() -> ExchangeIdArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void exchangeIdArgs_twoImplIds_xdrException() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeFixedOpaque(new byte[8]).writeOpaque(new byte[1]).writeInt(0).writeInt(0).writeInt(2);
            for (int i = 0; i < 2; i++) {
                new ImplId("d", "n", new NfsTime(0, 0)).encode(out);
            }
            assertThatThrownBy(() -> ExchangeIdArgs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void exchangeIdResult_roundTrip_equalFields() {
        ExchangeIdResult r = new ExchangeIdResult(0x1122334455667788L, 1, ExchangeIdArgs.FLAG_USE_NON_PNFS,
                StateProtectResult.None.INSTANCE, new ServerOwner(0, new byte[] {1, 2, 3}), new byte[] {4, 5},
                List.of(new ImplId("jnfsd.org", "jnfsd", new NfsTime(0, 0))));

        ExchangeIdResult d = (ExchangeIdResult) result(Opcode.EXCHANGE_ID, r);

        assertThat(d.clientId()).isEqualTo(r.clientId());
        assertThat(d.sequenceId()).isEqualTo(1);
        assertThat(d.flags()).isEqualTo(r.flags());
        assertThat(d.serverOwner().majorId()).containsExactly(1, 2, 3);
        assertThat(d.serverScope()).containsExactly(4, 5);
        assertThat(d.implId()).isEqualTo(r.implId());
    }

    @Test
    void createSessionArgs_roundTrip_allSecurityFlavors() {
        ChannelAttrs fore = new ChannelAttrs(0, 1, 2, 3, 4, 5, null);
        ChannelAttrs back = new ChannelAttrs(0, 6, 7, 8, 9, 10, 11);
        List<CallbackSecParms> sec = List.of(CallbackSecParms.None.INSTANCE,
                new CallbackSecParms.Sys(9, "host", 1000, 100, new int[] {4, 5}),
                new CallbackSecParms.Gss(2, new byte[] {1}, new byte[] {2, 3}));
        CreateSessionArgs a = new CreateSessionArgs(42L, 1, CreateSessionArgs.FLAG_CONN_BACK_CHAN, fore, back,
                0x40000000, sec);

        CreateSessionArgs b = roundTrip(a::encode, CreateSessionArgs::decode);

        assertThat(b.clientId()).isEqualTo(42L);
        assertThat(b.foreChannel()).isEqualTo(fore);
        assertThat(b.backChannel()).isEqualTo(back);
        assertThat(b.cbProgram()).isEqualTo(0x40000000);
        assertThat(b.cbSecParms()).extracting(CallbackSecParms::flavor).containsExactly(0, 1, 6);
        CallbackSecParms.Sys sys = (CallbackSecParms.Sys) b.cbSecParms().get(1);
        assertThat(sys.machineName()).isEqualTo("host");
        assertThat(sys.gids()).containsExactly(4, 5);
    }

    @Test
    void channelAttrs_twoRdmaIrdValues_xdrException() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            for (int i = 0; i < 6; i++) {
                out.writeInt(1);
            }
            out.writeInt(2).writeInt(1).writeInt(1);
            assertThatThrownBy(() -> ChannelAttrs.decode(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void channelAttrs_unsignedAboveIntMax_clamped() {
        ByteBuf buf = Unpooled.buffer();
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeInt(0).writeInt(-1).writeInt(-1).writeInt(-1).writeInt(-1).writeInt(-1).writeInt(0);
            ChannelAttrs a = ChannelAttrs.decode(new XdrDecoder(buf));
            assertThat(a.maxRequestSize()).isEqualTo(Integer.MAX_VALUE);
            assertThat(a.maxRequests()).isEqualTo(Integer.MAX_VALUE);
        } finally {
            buf.release();
        }
    }

    @Test
    void callbackSecParms_unknownFlavor_xdrException() {
        ByteBuf buf = Unpooled.buffer();
        try {
            new XdrEncoder(buf).writeInt(1).writeInt(99);
            assertThatThrownBy(() -> CallbackSecParms.decodeList(new XdrDecoder(buf))).isInstanceOf(XdrException.class);
        } finally {
            buf.release();
        }
    }

    @Test
    void sessionResults_roundTrip_equal() {
        ChannelAttrs attrs = new ChannelAttrs(0, 1, 2, 3, 4, 5, null);
        OpResult cs = new CreateSessionResult(SID, 3, 2, attrs, attrs);
        OpResult seq = new SequenceResult(SID, 1, 2, 3, 4, SequenceResult.STATUS_CB_PATH_DOWN);
        OpResult bind = new BindConnToSessionResult(SID, BindConnToSessionResult.CDFS4_BOTH, false);

        assertThat(result(Opcode.CREATE_SESSION, cs)).isEqualTo(cs);
        assertThat(result(Opcode.SEQUENCE, seq)).isEqualTo(seq);
        assertThat(result(Opcode.BIND_CONN_TO_SESSION, bind)).isEqualTo(bind);
    }

    @Test
    void resultDecoders_errorStatus_statusResult() {
        for (Opcode op : List.of(Opcode.EXCHANGE_ID, Opcode.CREATE_SESSION, Opcode.SEQUENCE, Opcode.BIND_CONN_TO_SESSION,
                Opcode.DESTROY_SESSION, Opcode.DESTROY_CLIENTID, Opcode.RECLAIM_COMPLETE, Opcode.BACKCHANNEL_CTL)) {
            assertThat(result(op, StatusResult.of(NfsStatus.NFS4ERR_BADSESSION)))
                    .isEqualTo(StatusResult.of(NfsStatus.NFS4ERR_BADSESSION));
        }
    }

    @Test
    void simpleArgs_roundTrip_equal() {
        SequenceArgs seq = new SequenceArgs(SID, -1, 3, 7, true);
        assertThat(roundTrip(seq::encode, SequenceArgs::decode)).isEqualTo(seq);
        DestroySessionArgs ds = new DestroySessionArgs(SID);
        assertThat(roundTrip(ds::encode, DestroySessionArgs::decode)).isEqualTo(ds);
        DestroyClientidArgs dc = new DestroyClientidArgs(-5L);
        assertThat(roundTrip(dc::encode, DestroyClientidArgs::decode)).isEqualTo(dc);
        ReclaimCompleteArgs rc = new ReclaimCompleteArgs(true);
        assertThat(roundTrip(rc::encode, ReclaimCompleteArgs::decode)).isEqualTo(rc);
        BindConnToSessionArgs bc = new BindConnToSessionArgs(SID, BindConnToSessionArgs.CDFC4_BACK_OR_BOTH, false);
        assertThat(roundTrip(bc::encode, BindConnToSessionArgs::decode)).isEqualTo(bc);
        BackchannelCtlArgs bcc = new BackchannelCtlArgs(5, List.of(CallbackSecParms.None.INSTANCE));
        assertThat(roundTrip(bcc::encode, BackchannelCtlArgs::decode)).isEqualTo(bcc);
    }

    @Test
    void sessionId_equalsByContent() {
        assertThat(new SessionId(SID.bytes())).isEqualTo(SID).hasSameHashCodeAs(SID);
        assertThatThrownBy(() -> new SessionId(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}

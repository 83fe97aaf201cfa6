package org.jnfsd.protocol.nfs4.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.ResultDecoders;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.junit.jupiter.api.Test;

class NamespaceCodecsTest {
    private static final Fattr4 ATTRS = new Fattr4(Bitmap.of(1, 33), new byte[] {0, 0, 0, 2, 0, 0, 1, (byte) 0xed});

    /** Encodes with {@code writer}, decodes with {@code reader}, and checks every byte was read. */
    private static <T> T roundTrip(Consumer<XdrEncoder> writer, Function<XdrDecoder, T> reader) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(new XdrEncoder(buf));
            XdrDecoder in = new XdrDecoder(buf);
            T value = reader.apply(in);
            assertThat(in.remaining()).as("bytes left over").isZero();
            return value;
        } finally {
            buf.release();
        }
    }

    private static OpResult result(Opcode op, OpResult r) {
        return roundTrip(r::encode, in -> ResultDecoders.decode(op, in));
    }

    @Test
    void args_everyOperation_roundTrip() {
        List<Object> args = List.of(
                new PutFhArgs(new byte[] {1, 0, 0, 0, 3, 9}),
                LookupArgs.of("dir"),
                new GetattrArgs(Bitmap.of(0, 1, 55)),
                new SetattrArgs(StateId.ANONYMOUS, ATTRS),
                new AccessArgs(0x3f),
                new ReaddirArgs(77, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 1024, 8192, Bitmap.of(1, 20)),
                CreateArgs.directory("d", ATTRS),
                CreateArgs.symlink("l", "../target", Fattr4.EMPTY),
                CreateArgs.special(CreateArgs.NF4CHR, 4, 64, "tty", Fattr4.EMPTY),
                CreateArgs.special(CreateArgs.NF4FIFO, 0, 0, "fifo", Fattr4.EMPTY),
                RemoveArgs.of("x"),
                RenameArgs.of("a", "b"),
                LinkArgs.of("hard"),
                new SecinfoArgs(new byte[] {'n'}),
                new SecinfoNoNameArgs(SecinfoNoNameArgs.PARENT));
        for (Object a : args) {
            Object back = switch (a) {
                case PutFhArgs x -> roundTrip(x::encode, PutFhArgs::decode);
                case LookupArgs x -> roundTrip(x::encode, LookupArgs::decode);
                case GetattrArgs x -> roundTrip(x::encode, GetattrArgs::decode);
                case SetattrArgs x -> roundTrip(x::encode, SetattrArgs::decode);
                case AccessArgs x -> roundTrip(x::encode, AccessArgs::decode);
                case ReaddirArgs x -> roundTrip(x::encode, ReaddirArgs::decode);
                case CreateArgs x -> roundTrip(x::encode, CreateArgs::decode);
                case RemoveArgs x -> roundTrip(x::encode, RemoveArgs::decode);
                case RenameArgs x -> roundTrip(x::encode, RenameArgs::decode);
                case LinkArgs x -> roundTrip(x::encode, LinkArgs::decode);
                case SecinfoArgs x -> roundTrip(x::encode, SecinfoArgs::decode);
                case SecinfoNoNameArgs x -> roundTrip(x::encode, SecinfoNoNameArgs::decode);
                default -> throw new AssertionError(a);
            };
            assertThat(back).as(a.getClass().getSimpleName()).usingRecursiveComparison().isEqualTo(a);
        }
    }

    @Test
    void verifyArgs_roundTrip_keepOpcode() {
        VerifyArgs v = new VerifyArgs(Opcode.NVERIFY, ATTRS);

        assertThat(roundTrip(v::encode, VerifyArgs::decodeNverify)).usingRecursiveComparison().isEqualTo(v);
    }

    @Test
    void results_everyOperation_roundTripThroughRegisteredDecoders() {
        ChangeInfo ci = new ChangeInfo(false, 5, 6);
        List<Object[]> cases = List.of(
                new Object[] {Opcode.GETFH, new GetFhResult(new byte[] {1, 2, 3, 4, 5, 6, 7})},
                new Object[] {Opcode.GETATTR, new GetattrResult(ATTRS)},
                new Object[] {Opcode.SETATTR, new SetattrResult(NfsStatus.NFS4_OK, Bitmap.of(33))},
                new Object[] {Opcode.SETATTR, SetattrResult.failed(NfsStatus.NFS4ERR_PERM)},
                new Object[] {Opcode.ACCESS, new AccessResult(0x1f, 0x03)},
                new Object[] {Opcode.READDIR, new ReaddirResult(new byte[8],
                        List.of(new ReaddirResult.Entry(3, "a", ATTRS), new ReaddirResult.Entry(4, "bé", Fattr4.EMPTY)),
                        true)},
                new Object[] {Opcode.CREATE, new CreateResult(ci, Bitmap.of(33))},
                new Object[] {Opcode.REMOVE, new ChangeInfoResult(Opcode.REMOVE, ci)},
                new Object[] {Opcode.LINK, new ChangeInfoResult(Opcode.LINK, ci)},
                new Object[] {Opcode.RENAME, new RenameResult(ci, new ChangeInfo(true, 1, 1))},
                new Object[] {Opcode.READLINK, new ReadlinkResult("/x/y")},
                new Object[] {Opcode.SECINFO, new SecinfoResult(List.of(1, 0))},
                new Object[] {Opcode.SECINFO_NO_NAME, new SecinfoResult(List.of(1))});
        for (Object[] c : cases) {
            OpResult r = (OpResult) c[1];
            assertThat(result((Opcode) c[0], r)).as(c[0].toString()).usingRecursiveComparison().isEqualTo(r);
        }
    }

    @Test
    void results_errorStatus_decodedAsStatusResult() {
        for (Opcode op : List.of(Opcode.GETFH, Opcode.GETATTR, Opcode.ACCESS, Opcode.READDIR, Opcode.CREATE,
                Opcode.REMOVE, Opcode.LINK, Opcode.RENAME, Opcode.READLINK, Opcode.SECINFO, Opcode.SECINFO_NO_NAME,
                Opcode.LOOKUP, Opcode.PUTFH)) {
            assertThat(result(op, StatusResult.of(NfsStatus.NFS4ERR_NOENT))).as(op.toString())
                    .isEqualTo(StatusResult.of(NfsStatus.NFS4ERR_NOENT));
        }
    }

    @Test
    void readdirEntry_encodedSize_matchesBytesWritten() {
        ReaddirResult.Entry e = new ReaddirResult.Entry(9, "héllo", ATTRS);
        ReaddirResult one = new ReaddirResult(new byte[8], List.of(e), false);
        ByteBuf buf = Unpooled.buffer();
        try {
            one.encode(new XdrEncoder(buf));
            assertThat(buf.readableBytes()).isEqualTo(4 + ReaddirResult.EMPTY_SIZE + e.encodedSize());
        } finally {
            buf.release();
        }
    }

    @Test
    void createArgs_unknownType_badxdr() {
        assertThatThrownBy(() -> roundTrip(o -> o.writeInt(10).writeInt(0), CreateArgs::decode))
                .isInstanceOfSatisfying(XdrException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_BADXDR));
    }

    @Test
    void secinfoNoNameArgs_unknownStyle_badxdr() {
        assertThatThrownBy(() -> roundTrip(o -> o.writeInt(2), SecinfoNoNameArgs::decode))
                .isInstanceOf(XdrException.class);
    }

    @Test
    void secinfoResult_gssEntry_skippedDetails() {
        OpResult r = roundTrip(o -> o.writeInt(0).writeInt(2).writeInt(6).writeOpaque(new byte[] {1, 2, 3})
                .writeInt(0).writeInt(1).writeInt(1), SecinfoResult::decode);

        assertThat(r).isEqualTo(new SecinfoResult(List.of(6, 1)));
    }
}

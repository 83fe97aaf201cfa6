package org.jnfsd.core.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.attr.AttrBit.*;

import io.netty.buffer.Unpooled;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.SetAttributes.TimeValue;
import org.jnfsd.vfs.Stat;
import org.junit.jupiter.api.Test;

class AttributesTest {
    private static final Instant BIRTH = Instant.ofEpochSecond(1_600_000_000L, 5);

    private static XdrDecoder values(Fattr4 f) {
        return new XdrDecoder(Unpooled.wrappedBuffer(f.values()));
    }

    private static NfsStatus statusOf(ThrowingRunnable r) {
        try {
            r.run();
        } catch (NfsException e) {
            return e.status();
        }
        throw new AssertionError("no NfsException");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws NfsException;
    }

    @Test
    void encode_requestedAttributes_valuesInBitOrder() throws NfsException {
        Stat st = TestFs.file(12345, 0640, 1000, 100, BIRTH);
        Fattr4 f = Attributes.encode(Bitmap.of(OWNER, TYPE, SIZE, FSID, MODE, TIME_MODIFY, OWNER_GROUP, CHANGE),
                TestFs.source(st, 1, false));

        assertThat(f.mask()).containsExactly(Bitmap.of(OWNER, TYPE, SIZE, FSID, MODE, TIME_MODIFY, OWNER_GROUP, CHANGE));
        XdrDecoder in = values(f);
        assertThat(in.readInt()).as("type NF4REG").isEqualTo(1);
        assertThat(in.readLong()).as("change").isEqualTo(99);
        assertThat(in.readLong()).as("size").isEqualTo(12345);
        assertThat(in.readLong()).as("fsid major").isEqualTo(TestFs.FSID);
        assertThat(in.readLong()).as("fsid minor").isZero();
        assertThat(in.readInt()).as("mode").isEqualTo(0640);
        assertThat(in.readUtf8(100)).as("owner").isEqualTo("1000");
        assertThat(in.readUtf8(100)).as("owner_group").isEqualTo("100");
        assertThat(in.readLong()).as("mtime s").isEqualTo(st.mtime().getEpochSecond());
        assertThat(in.readInt()).as("mtime ns").isEqualTo(st.mtime().getNano());
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void encode_unsupportedBits_silentlyOmitted() throws NfsException {
        Fattr4 f = Attributes.encode(Bitmap.of(TYPE, ACL, 14, 200), TestFs.source(TestFs.file(0, 0, 0, 0, null), 1, false));

        assertThat(f.mask()).containsExactly(Bitmap.of(TYPE));
        assertThat(f.values()).hasSize(4);
    }

    @Test
    void encode_everySupportedAttribute_consumesExactlyItsValues() throws NfsException {
        int[] all = {-1, -1, -1};
        Fattr4 f = Attributes.encode(all, TestFs.source(TestFs.file(1, 0644, 1, 1, BIRTH), 2, false));

        int[] expected = Bitmap.and(Attributes.supported(2), all);
        expected[TIME_ACCESS_SET >>> 5] &= ~(1 << (TIME_ACCESS_SET & 31));
        expected[TIME_MODIFY_SET >>> 5] &= ~(1 << (TIME_MODIFY_SET & 31));
        expected[TIME_DELEG_ACCESS >>> 5] &= ~(1 << (TIME_DELEG_ACCESS & 31));
        expected[TIME_DELEG_MODIFY >>> 5] &= ~(1 << (TIME_DELEG_MODIFY & 31));
        assertThat(f.mask()).containsExactly(Bitmap.trim(expected));
        XdrDecoder in = values(f);
        assertThat(in.readBitmap(8)).as("supported_attrs").containsExactly(Attributes.supported(2));
    }

    @Test
    void encode_ownerAboveSignedRange_unsignedDecimal() throws NfsException {
        Fattr4 f = Attributes.encode(Bitmap.of(OWNER), TestFs.source(TestFs.file(0, 0, -2, 0, null), 1, false));

        assertThat(values(f).readUtf8(100)).isEqualTo("4294967294");
    }

    @Test
    void encode_birthTimeUnknown_timeCreateOmitted() throws NfsException {
        Fattr4 f = Attributes.encode(Bitmap.of(TIME_CREATE, FILEID), TestFs.source(TestFs.file(0, 0, 0, 0, null), 1, false));

        assertThat(f.mask()).containsExactly(Bitmap.of(FILEID));
    }

    @Test
    void encode_changeAttrType_onlyForMinorVersion2() throws NfsException {
        Stat st = TestFs.file(0, 0, 0, 0, null);

        assertThat(Attributes.encode(Bitmap.of(CHANGE_ATTR_TYPE), TestFs.source(st, 1, false)).mask()).isEmpty();
        Fattr4 v2 = Attributes.encode(Bitmap.of(CHANGE_ATTR_TYPE), TestFs.source(st, 2, false));
        assertThat(v2.mask()).containsExactly(Bitmap.of(CHANGE_ATTR_TYPE));
        assertThat(values(v2).readInt()).as("NFS4_CHANGE_TYPE_IS_MONOTONIC_INCR").isZero();
    }

    @Test
    void encode_xattrSupport_onlyForMinorVersion2_theBackendsAnswer() throws NfsException {
        Stat st = TestFs.file(0, 0, 0, 0, null);

        assertThat(Attributes.encode(Bitmap.of(XATTR_SUPPORT), TestFs.source(st, 1, false)).mask()).isEmpty();
        assertThat(Bitmap.isSet(Attributes.supported(1), XATTR_SUPPORT)).isFalse();
        Fattr4 v2 = Attributes.encode(Bitmap.of(XATTR_SUPPORT), TestFs.source(st, 2, false));
        assertThat(v2.mask()).containsExactly(Bitmap.of(XATTR_SUPPORT));
        assertThat(values(v2).readBool()).isTrue();
        assertThat(Bitmap.isSet(Attributes.supported(2), XATTR_SUPPORT)).isTrue();
    }

    @Test
    void encode_cloneBlksizeAndSpaceFreed_onlyForMinorVersion2() throws NfsException {
        Stat st = TestFs.file(10, 0, 0, 0, null);

        assertThat(Attributes.encode(Bitmap.of(CLONE_BLKSIZE, SPACE_FREED), TestFs.source(st, 1, false)).mask()).isEmpty();
        Fattr4 v2 = Attributes.encode(Bitmap.of(CLONE_BLKSIZE, SPACE_FREED), TestFs.source(st, 2, false));
        assertThat(v2.mask()).containsExactly(Bitmap.of(CLONE_BLKSIZE, SPACE_FREED));
        var in = values(v2);
        assertThat(in.readInt()).as("clone_blksize").isEqualTo(4096);
        assertThat(in.readLong()).as("space_freed").isEqualTo(4096);
        assertThat(Bitmap.isSet(Attributes.supported(1), CLONE_BLKSIZE)).isFalse();
        assertThat(Bitmap.isSet(Attributes.supported(2), SPACE_FREED)).isTrue();
    }

    @Test
    void encode_spaceFiguresBackendFails_throwsMappedStatus() {
        Stat st = TestFs.file(0, 0, 0, 0, null);

        assertThat(statusOf(() -> Attributes.encode(Bitmap.of(SPACE_AVAIL), TestFs.source(st, 1, true))))
                .isEqualTo(NfsStatus.NFS4ERR_IO);
    }

    @Test
    void encode_fixedValues_asDocumented() throws NfsException {
        Fattr4 f = Attributes.encode(Bitmap.of(FH_EXPIRE_TYPE, LEASE_TIME, MAXNAME, MAXREAD, TIME_DELTA, SPACE_AVAIL),
                TestFs.source(TestFs.file(0, 0, 0, 0, null), 1, false));

        XdrDecoder in = values(f);
        assertThat(in.readInt()).as("FH4_PERSISTENT").isZero();
        assertThat(in.readInt()).as("lease_time").isEqualTo(90);
        assertThat(in.readInt()).as("maxname").isEqualTo(255);
        assertThat(in.readLong()).as("maxread").isEqualTo(1024 * 1024);
        assertThat(in.readInt()).as("space_avail high word").isZero();
        assertThat(in.readInt()).as("space_avail").isEqualTo(500);
        assertThat(in.readLong()).as("time_delta s").isZero();
        assertThat(in.readInt()).as("time_delta ns").isEqualTo(1);
    }

    @Test
    void checkReadable_writeOnlyAttribute_inval() {
        assertThat(statusOf(() -> Attributes.checkReadable(Bitmap.of(TYPE, TIME_MODIFY_SET))))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void encodeError_rdattrErrorRequested_onlyTheError() {
        Fattr4 f = Attributes.encodeError(Bitmap.of(TYPE, RDATTR_ERROR), NfsStatus.NFS4ERR_STALE);

        assertThat(f.mask()).containsExactly(Bitmap.of(RDATTR_ERROR));
        assertThat(values(f).readInt()).isEqualTo(NfsStatus.NFS4ERR_STALE.code());
        assertThat(Attributes.encodeError(Bitmap.of(TYPE), NfsStatus.NFS4ERR_STALE)).isNull();
    }

    @Test
    void decodeSettable_allSettable_decoded() throws NfsException {
        Instant t = Instant.ofEpochSecond(1_234_567, 890);
        Fattr4 f = new FattrWriter()
                .put(SIZE, o -> o.writeLong(77))
                .put(MODE, o -> o.writeInt(0100755))
                .put(OWNER, o -> o.writeUtf8("1000"))
                .put(OWNER_GROUP, o -> o.writeUtf8("root"))
                .put(TIME_ACCESS_SET, o -> o.writeInt(0))
                .put(TIME_MODIFY_SET, o -> FattrWriter.clientTime(o, t))
                .build();

        SetAttributes a = Attributes.decodeSettable(f);

        assertThat(a).isEqualTo(new SetAttributes(0755, 1000, 0, 77L, TimeValue.SERVER_NOW, TimeValue.of(t)));
        assertThat(Attributes.settableMask(f)).containsExactly(f.mask());
    }

    @Test
    void decodeSettable_empty_nothingToSet() throws NfsException {
        assertThat(Attributes.decodeSettable(Fattr4.EMPTY).isEmpty()).isTrue();
    }

    @Test
    void decodeSettable_readOnlyAttribute_inval() {
        Fattr4 f = new FattrWriter().put(TYPE, o -> o.writeInt(1)).build();

        assertThat(statusOf(() -> Attributes.decodeSettable(f))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void decodeSettable_unsupportedAttribute_attrnotsupp() {
        Fattr4 acl = new FattrWriter().put(MODE, o -> o.writeInt(0644)).put(ACL, o -> o.writeInt(0)).build();
        Fattr4 high = new Fattr4(Bitmap.of(TYPE, 200), new byte[8]);

        assertThat(statusOf(() -> Attributes.decodeSettable(acl))).isEqualTo(NfsStatus.NFS4ERR_ATTRNOTSUPP);
        assertThat(statusOf(() -> Attributes.decodeSettable(high)))
                .as("unsupported wins over read-only, as in knfsd").isEqualTo(NfsStatus.NFS4ERR_ATTRNOTSUPP);
    }

    @Test
    void decodeSettable_valuesLeftOver_badxdr() {
        Fattr4 f = new FattrWriter().put(MODE, o -> o.writeInt(0644)).raw(o -> o.writeInt(0)).build();

        assertThat(statusOf(() -> Attributes.decodeSettable(f))).isEqualTo(NfsStatus.NFS4ERR_BADXDR);
    }

    @Test
    void decodeSettable_valuesMissing_badxdr() {
        Fattr4 f = new Fattr4(Bitmap.of(SIZE, MODE), new byte[8]);

        assertThat(statusOf(() -> Attributes.decodeSettable(f))).isEqualTo(NfsStatus.NFS4ERR_BADXDR);
    }

    @Test
    void decodeSettable_badTimeHow_badxdr() {
        Fattr4 f = new FattrWriter().put(TIME_ACCESS_SET, o -> o.writeInt(2)).build();

        assertThat(statusOf(() -> Attributes.decodeSettable(f))).isEqualTo(NfsStatus.NFS4ERR_BADXDR);
    }

    @Test
    void decodeSettable_nanosecondsOutOfRange_inval() {
        Fattr4 f = new FattrWriter().put(TIME_MODIFY_SET, o -> o.writeInt(1).writeLong(0).writeInt(1_000_000_000)).build();

        assertThat(statusOf(() -> Attributes.decodeSettable(f))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void decodeSettable_owners_numericAndWellKnownNamesOnly() throws NfsException {
        assertThat(owner("0")).isZero();
        assertThat(owner("nobody")).isEqualTo(65534);
        assertThat(owner("4294967295")).isEqualTo(-1);
        for (String bad : new String[] {"", "alice", "1000@example.com", "-1", "+5", "4294967296", "12345678901", " 1"}) {
            assertThat(statusOf(() -> owner(bad))).as(bad).isEqualTo(NfsStatus.NFS4ERR_BADOWNER);
        }
    }

    private static int owner(String s) throws NfsException {
        return Attributes.decodeSettable(new FattrWriter().put(OWNER, o -> o.writeUtf8(s)).build()).uid();
    }

    @Test
    void decodeSettable_ownerNotUtf8_inval() {
        Fattr4 f = new FattrWriter().put(OWNER, o -> o.writeOpaque(new byte[] {(byte) 0xff, '1'})).build();

        assertThat(statusOf(() -> Attributes.decodeSettable(f))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }

    @Test
    void matches_ownEncoding_true() throws NfsException {
        AttrSource src = TestFs.source(TestFs.file(5, 0600, 1, 2, BIRTH), 1, false);
        Fattr4 ours = Attributes.encode(Bitmap.of(SIZE, MODE, OWNER, CHANGE), src);

        assertThat(Attributes.matches(ours, src)).isTrue();
    }

    @Test
    void matches_differentValue_false() throws NfsException {
        AttrSource src = TestFs.source(TestFs.file(5, 0600, 1, 2, BIRTH), 1, false);
        Fattr4 other = new FattrWriter().put(SIZE, o -> o.writeLong(6)).build();
        Fattr4 shorter = new Fattr4(Bitmap.of(SIZE), new byte[4]);

        assertThat(Attributes.matches(other, src)).isFalse();
        assertThat(Attributes.matches(shorter, src)).isFalse();
    }

    @Test
    void matches_rdattrErrorOrWriteOnly_inval_unsupported_attrnotsupp() {
        AttrSource src = TestFs.source(TestFs.file(5, 0600, 1, 2, BIRTH), 1, false);

        assertThat(statusOf(() -> Attributes.matches(new Fattr4(Bitmap.of(RDATTR_ERROR), new byte[4]), src)))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(statusOf(() -> Attributes.matches(new Fattr4(Bitmap.of(TIME_MODIFY_SET), new byte[4]), src)))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(statusOf(() -> Attributes.matches(new Fattr4(Bitmap.of(ACL), new byte[4]), src)))
                .isEqualTo(NfsStatus.NFS4ERR_ATTRNOTSUPP);
    }

    @Test
    void supported_includesBriefedAttributes_excludesAcl() {
        int[] s = Attributes.supported(1);
        for (int bit : new int[] {SUPPORTED_ATTRS, TYPE, FH_EXPIRE_TYPE, CHANGE, SIZE, FSID, LEASE_TIME, RDATTR_ERROR,
            FILEHANDLE, FILEID, MODE, OWNER, OWNER_GROUP, RAWDEV, SPACE_USED, TIME_ACCESS_SET, TIME_MODIFY_SET,
            MOUNTED_ON_FILEID, SUPPATTR_EXCLCREAT}) {
            assertThat(Bitmap.isSet(s, bit)).as("bit %d", bit).isTrue();
        }
        assertThat(Bitmap.isSet(s, ACL)).isFalse();
        assertThat(Bitmap.isSet(s, CHANGE_ATTR_TYPE)).isFalse();
        assertThat(Bitmap.isSet(Attributes.supported(2), CHANGE_ATTR_TYPE)).isTrue();
    }

    // property: any set of settable attributes, written as a client writes them, decodes to the same values
    @Property(tries = 300)
    void decodeSettable_anySettableSet_roundTrips(@ForAll("settable") SetAttributes a) throws NfsException {
        FattrWriter w = new FattrWriter();
        if (a.size() != null) {
            w.put(SIZE, o -> o.writeLong(a.size()));
        }
        if (a.mode() != null) {
            w.put(MODE, o -> o.writeInt(a.mode()));
        }
        if (a.uid() != null) {
            w.put(OWNER, o -> o.writeUtf8(Integer.toUnsignedString(a.uid())));
        }
        if (a.gid() != null) {
            w.put(OWNER_GROUP, o -> o.writeUtf8(Integer.toUnsignedString(a.gid())));
        }
        if (a.atime() != null) {
            w.put(TIME_ACCESS_SET, o -> time(o, a.atime()));
        }
        if (a.mtime() != null) {
            w.put(TIME_MODIFY_SET, o -> time(o, a.mtime()));
        }

        assertThat(Attributes.decodeSettable(w.build())).isEqualTo(a);
    }

    private static void time(org.jnfsd.protocol.xdr.XdrEncoder o, TimeValue t) {
        if (t.isServerNow()) {
            o.writeInt(0);
        } else {
            FattrWriter.clientTime(o, t.instant());
        }
    }

    @Provide
    Arbitrary<SetAttributes> settable() {
        Arbitrary<TimeValue> time = Arbitraries.oneOf(Arbitraries.just(TimeValue.SERVER_NOW),
                Combinators.combine(Arbitraries.longs().between(-1L << 40, 1L << 40),
                        Arbitraries.integers().between(0, 999_999_999))
                        .as((s, ns) -> TimeValue.of(Instant.ofEpochSecond(s, ns))));
        return Combinators.combine(
                Arbitraries.integers().between(0, 07777).injectNull(0.3),
                Arbitraries.integers().injectNull(0.3),
                Arbitraries.integers().injectNull(0.3),
                Arbitraries.longs().injectNull(0.3),
                time.injectNull(0.3),
                time.injectNull(0.3))
                .as(SetAttributes::new);
    }
}

package org.jnfsd.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * fattr4 as a client builds and reads it: {@link #builder()} writes settable attributes in bit
 * order; {@link #decode} reads the attributes a reply carries into a map by attribute number.
 */
final class Fattr {
    private Fattr() {}

    static Builder builder() {
        return new Builder();
    }

    static Fattr4 mode(int mode) {
        return builder().mode(mode).build();
    }

    /** Builds settable attributes; calls must come in increasing attribute number. */
    static final class Builder {
        private int[] mask = new int[0];
        private final ByteBuf buf = Unpooled.buffer();
        private final XdrEncoder out = new XdrEncoder(buf);

        private Builder put(int bit, Consumer<XdrEncoder> value) {
            mask = Bitmap.set(mask, bit);
            value.accept(out);
            return this;
        }

        Builder size(long size) {
            return put(AttrBit.SIZE, o -> o.writeLong(size));
        }

        Builder mode(int mode) {
            return put(AttrBit.MODE, o -> o.writeInt(mode));
        }

        Builder owner(String owner) {
            return put(AttrBit.OWNER, o -> o.writeUtf8(owner));
        }

        Builder ownerGroup(String group) {
            return put(AttrBit.OWNER_GROUP, o -> o.writeUtf8(group));
        }

        /** time_access_set: SET_TO_CLIENT_TIME4 with {@code t}. */
        Builder atime(Instant t) {
            return put(AttrBit.TIME_ACCESS_SET, o -> o.writeInt(1).writeLong(t.getEpochSecond()).writeInt(t.getNano()));
        }

        /** time_modify_set: SET_TO_CLIENT_TIME4 with {@code t}. */
        Builder mtime(Instant t) {
            return put(AttrBit.TIME_MODIFY_SET, o -> o.writeInt(1).writeLong(t.getEpochSecond()).writeInt(t.getNano()));
        }

        Fattr4 build() {
            try {
                return new Fattr4(mask, ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
    }

    /** Decodes every attribute of {@code f} (all must be ones this method knows). */
    static Map<Integer, Object> decode(Fattr4 f) {
        Map<Integer, Object> values = new TreeMap<>();
        ByteBuf buf = Unpooled.wrappedBuffer(f.values());
        XdrDecoder in = new XdrDecoder(buf);
        for (int bit = 0; bit < f.mask().length * 32; bit++) {
            if (Bitmap.isSet(f.mask(), bit)) {
                values.put(bit, value(bit, in));
            }
        }
        if (in.hasRemaining()) {
            throw new IllegalStateException(in.remaining() + " bytes left after decoding " + values.keySet());
        }
        return values;
    }

    private static Object value(int bit, XdrDecoder in) {
        return switch (bit) {
            case AttrBit.SUPPORTED_ATTRS, AttrBit.SUPPATTR_EXCLCREAT -> in.readBitmap(8);
            case AttrBit.TYPE, AttrBit.FH_EXPIRE_TYPE, AttrBit.LEASE_TIME, AttrBit.RDATTR_ERROR, AttrBit.ACLSUPPORT,
                    AttrBit.MODE, AttrBit.NUMLINKS, AttrBit.MAXLINK, AttrBit.MAXNAME, AttrBit.CHANGE_ATTR_TYPE ->
                    in.readInt();
            case AttrBit.CHANGE, AttrBit.SIZE, AttrBit.FILEID, AttrBit.FILES_AVAIL, AttrBit.FILES_FREE,
                    AttrBit.FILES_TOTAL, AttrBit.MAXFILESIZE, AttrBit.MAXREAD, AttrBit.MAXWRITE, AttrBit.SPACE_AVAIL,
                    AttrBit.SPACE_FREE, AttrBit.SPACE_TOTAL, AttrBit.SPACE_USED, AttrBit.MOUNTED_ON_FILEID ->
                    in.readLong();
            case AttrBit.LINK_SUPPORT, AttrBit.SYMLINK_SUPPORT, AttrBit.NAMED_ATTR, AttrBit.UNIQUE_HANDLES,
                    AttrBit.CANSETTIME, AttrBit.CASE_INSENSITIVE, AttrBit.CASE_PRESERVING, AttrBit.CHOWN_RESTRICTED,
                    AttrBit.HOMOGENEOUS, AttrBit.NO_TRUNC, AttrBit.XATTR_SUPPORT, AttrBit.OFFLINE -> in.readBool();
            case AttrBit.FSID -> new long[] {in.readLong(), in.readLong()};
            case AttrBit.OPEN_ARGUMENTS -> new int[][] {in.readBitmap(8), in.readBitmap(8), in.readBitmap(8),
                in.readBitmap(8), in.readBitmap(8)};
            case AttrBit.RAWDEV -> new int[] {in.readInt(), in.readInt()};
            case AttrBit.OWNER, AttrBit.OWNER_GROUP -> in.readUtf8(1024);
            case AttrBit.FILEHANDLE -> in.readOpaque(128);
            case AttrBit.TIME_ACCESS, AttrBit.TIME_CREATE, AttrBit.TIME_DELTA, AttrBit.TIME_METADATA,
                    AttrBit.TIME_MODIFY -> new NfsTime(in.readLong(), in.readInt());
            default -> throw new IllegalArgumentException("attribute " + bit + " not known to the test decoder");
        };
    }
}

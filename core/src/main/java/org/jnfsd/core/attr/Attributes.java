package org.jnfsd.core.attr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.vfs.SetAttributes;

/**
 * The NFSv4 attribute codec: fattr4 to and from backend attributes, driven by one table of
 * attribute definitions ({@code AttrTable}). Owned by the namespace work; OPEN uses
 * {@link #decodeSettable} for its create attributes. Stateless and thread-safe.
 *
 * <p>Reading (GETATTR, READDIR, VERIFY): the reply mask is requested ∩ supported, unsupported bits
 * silently omitted, values in bit order. Asking for a write-only attribute (time_access_set,
 * time_modify_set) is NFS4ERR_INVAL, as in knfsd.
 */
public final class Attributes {
    private Attributes() {}

    /** supported_attrs for a minor version. */
    public static int[] supported(int minorVersion) {
        return AttrTable.supported(minorVersion);
    }

    /** suppattr_exclcreat: what EXCLUSIVE4_1 may set (size, mode, owner, owner_group). */
    public static int[] suppattrExclcreat() {
        return AttrTable.suppattrExclcreat();
    }

    /** NFS4ERR_INVAL when {@code requested} asks for a write-only attribute. */
    public static void checkReadable(int[] requested) throws NfsException {
        if (Bitmap.and(requested, AttrTable.writeOnly()).length != 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "write-only attribute requested");
        }
    }

    /**
     * Encodes the requested attributes of {@code src}: mask = requested ∩ supported (trimmed),
     * values in bit order. Call {@link #checkReadable} first; write-only bits are skipped here.
     *
     * @throws NfsException when a value cannot be obtained (the backend's space figures)
     */
    public static Fattr4 encode(int[] requested, AttrSource src) throws NfsException {
        int[] mask = Bitmap.and(requested, AttrTable.supported(src.minorVersion()));
        ByteBuf buf = Unpooled.buffer(128);
        try {
            XdrEncoder out = new XdrEncoder(buf);
            int[] sent = new int[mask.length];
            for (int w = 0; w < mask.length; w++) {
                int word = mask[w];
                while (word != 0) {
                    int b = Integer.numberOfTrailingZeros(word);
                    word &= word - 1;
                    AttrDef d = AttrTable.get(w * 32 + b);
                    if (d.readable() && d.presentFor(src)) {
                        d.encoder().encode(src, out);
                        sent[w] |= 1 << b;
                    }
                }
            }
            return new Fattr4(Bitmap.trim(sent), ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    /**
     * The attributes of a READDIR entry whose values could not be obtained: only rdattr_error, set
     * to {@code error}, when it was requested; otherwise null (the caller fails the READDIR).
     */
    public static Fattr4 encodeError(int[] requested, NfsStatus error) {
        if (!Bitmap.isSet(requested, AttrBit.RDATTR_ERROR)) {
            return null;
        }
        byte[] value = {(byte) (error.code() >>> 24), (byte) (error.code() >>> 16), (byte) (error.code() >>> 8),
            (byte) error.code()};
        return new Fattr4(Bitmap.of(AttrBit.RDATTR_ERROR), value);
    }

    /**
     * Decodes settable attributes (mode, owner, owner_group, size, time_access_set,
     * time_modify_set). NFS4ERR_ATTRNOTSUPP for an attribute jnfsd does not support (checked
     * first, over the whole mask, as knfsd does), NFS4ERR_INVAL for a supported one that cannot be
     * set, NFS4ERR_BADXDR for malformed values or values missing or left over, NFS4ERR_BADOWNER for
     * an owner that is not a numeric string or "root"/"nobody" (see {@link Owners}).
     */
    public static SetAttributes decodeSettable(Fattr4 attrs) throws NfsException {
        int[] mask = attrs.mask();
        forEachBit(mask, bit -> {
            if (AttrTable.get(bit) == null) {
                throw new NfsException(NfsStatus.NFS4ERR_ATTRNOTSUPP, "attribute " + bit + " is not supported");
            }
        });
        forEachBit(mask, bit -> {
            if (!AttrTable.get(bit).settable()) {
                throw new NfsException(NfsStatus.NFS4ERR_INVAL, AttrTable.get(bit).name() + " cannot be set");
            }
        });
        ByteBuf buf = Unpooled.wrappedBuffer(attrs.values());
        try {
            XdrDecoder in = new XdrDecoder(buf);
            SettableBuilder b = new SettableBuilder();
            forEachBit(mask, bit -> AttrTable.get(bit).setDecoder().decode(in, b));
            if (in.hasRemaining()) {
                throw new NfsException(NfsStatus.NFS4ERR_BADXDR, in.remaining() + " bytes after the attribute values");
            }
            return b.build();
        } catch (XdrException e) {
            throw NfsException.of(e);
        } finally {
            buf.release();
        }
    }

    /** The mask of what {@link #decodeSettable} applied: the request's mask, trimmed. */
    public static int[] settableMask(Fattr4 attrs) {
        return Bitmap.trim(attrs.mask().clone());
    }

    /**
     * VERIFY/NVERIFY: whether {@code given} equals the server's own encoding of the same attributes
     * of {@code src}, compared bytewise as knfsd does. NFS4ERR_ATTRNOTSUPP for an unsupported
     * attribute, NFS4ERR_INVAL for rdattr_error or a write-only attribute.
     */
    public static boolean matches(Fattr4 given, AttrSource src) throws NfsException {
        int[] mask = Bitmap.trim(given.mask().clone());
        int[] supported = AttrTable.supported(src.minorVersion());
        forEachBit(mask, bit -> {
            if (!Bitmap.isSet(supported, bit)) {
                throw new NfsException(NfsStatus.NFS4ERR_ATTRNOTSUPP, "attribute " + bit + " is not supported");
            }
        });
        checkReadable(mask);
        if (Bitmap.isSet(mask, AttrBit.RDATTR_ERROR)) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "rdattr_error cannot be verified");
        }
        Fattr4 ours = encode(mask, src);
        return Arrays.equals(ours.mask(), mask) && Arrays.equals(ours.values(), given.values());
    }

    @FunctionalInterface
    private interface BitAction {
        void apply(int bit) throws NfsException;
    }

    private static void forEachBit(int[] mask, BitAction action) throws NfsException {
        for (int w = 0; w < mask.length; w++) {
            int word = mask[w];
            while (word != 0) {
                int b = Integer.numberOfTrailingZeros(word);
                word &= word - 1;
                action.apply(w * 32 + b);
            }
        }
    }
}

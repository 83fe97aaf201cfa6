package org.jnfsd.protocol.nfs4;

import java.util.Arrays;
import java.util.HexFormat;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * stateid4: an immutable value. {@link #equals} compares seqid and other; code that looks state up
 * by identity regardless of seqid uses {@link #other()} through {@link #key()}.
 */
public record StateId(int seqid, byte[] other) {
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    public static final int OTHER_SIZE = 12;
    private static final byte[] ZEROS = new byte[OTHER_SIZE];
    private static final byte[] ONES = filled((byte) 0xff);

    /** All zeros: the anonymous stateid. */
    public static final StateId ANONYMOUS = new StateId(0, ZEROS);
    /** All ones: the READ bypass stateid. */
    public static final StateId READ_BYPASS = new StateId(-1, ONES);
    /** seqid 1, other zeros: "the current stateid" (RFC 8881 §16.2.3.1.2). */
    public static final StateId CURRENT = new StateId(1, ZEROS);
    /** seqid NFS4_UINT32_MAX, other zeros: the invalid stateid. */
    public static final StateId INVALID = new StateId(-1, ZEROS);

    public StateId {
        if (other.length != OTHER_SIZE) {
            throw new IllegalArgumentException("stateid other must be 12 bytes");
        }
        other = other.clone();
    }

    @Override
    public byte[] other() {
        return other.clone();
    }

    /** The identity of the state this stateid names, independent of seqid. */
    public Key key() {
        return new Key((long) BIG_ENDIAN_LONG.get(other, 0), (int) BIG_ENDIAN_INT.get(other, 8));
    }

    public StateId withSeqid(int newSeqid) {
        return new StateId(newSeqid, other);
    }

    public boolean isSpecial() {
        return Arrays.equals(other, ZEROS) || Arrays.equals(other, ONES);
    }

    public static StateId decode(XdrDecoder in) {
        int seqid = in.readInt();
        return new StateId(seqid, in.readFixedOpaque(OTHER_SIZE));
    }

    public void encode(XdrEncoder out) {
        out.writeInt(seqid);
        out.writeFixedOpaque(other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateId s && s.seqid == seqid && Arrays.equals(s.other, other);
    }

    @Override
    public int hashCode() {
        return 31 * seqid + Arrays.hashCode(other);
    }

    @Override
    public String toString() {
        return "StateId[" + Integer.toUnsignedString(seqid) + ":" + HexFormat.of().formatHex(other) + "]";
    }

    /**
     * The seqid-independent identity of a stateid, usable as a map key: the 12 bytes of
     * {@code other} as two numbers (bytes 0-7 and 8-11, big-endian), so a lookup builds no string.
     */
    public record Key(long high, int low) {
        @Override
        public String toString() {
            return String.format("%016x%08x", high, low);
        }
    }

    private static byte[] filled(byte b) {
        byte[] a = new byte[OTHER_SIZE];
        Arrays.fill(a, b);
        return a;
    }
}

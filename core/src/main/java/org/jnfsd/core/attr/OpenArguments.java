package org.jnfsd.core.attr;

import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * The {@code open_arguments} attribute (RFC 9754 §6, attribute 86, minor version 2): which OPEN
 * arguments this server acts on, one bitmap per argument, each bit an enum value of RFC 9754's
 * {@code open_args_*4}. It lists exactly what {@code ops.io.Open} implements:
 * <ul>
 *   <li>share access READ, WRITE, BOTH and every share deny;
 *   <li>the wants ANY_DELEG, NO_DELEG and CANCEL (READ_DELEG and WRITE_DELEG have no bit of their
 *       own in RFC 9754), OPEN_XOR_DELEGATION ({@code ops.io.OpenXorDelegation}) and
 *       DELEG_TIMESTAMPS ({@code ops.io.OpenDelegTimestamps}); not the SIGNAL/PUSH hints, which
 *       OPEN accepts and ignores;
 *   <li>the claims NULL, PREVIOUS, DELEGATE_CUR, FH and DELEG_CUR_FH; not DELEGATE_PREV or
 *       DELEG_PREV_FH (NFS4ERR_NOTSUPP);
 *   <li>the create modes UNCHECKED4, GUARDED4, EXCLUSIVE4 and EXCLUSIVE4_1.
 * </ul>
 * Change this class in the same commit as OPEN.
 */
public final class OpenArguments {
    public static final int SHARE_ACCESS_READ = 1;
    public static final int SHARE_ACCESS_WRITE = 2;
    public static final int SHARE_ACCESS_BOTH = 3;
    public static final int WANT_ANY_DELEG = 3;
    public static final int WANT_NO_DELEG = 4;
    public static final int WANT_CANCEL = 5;
    public static final int WANT_DELEG_TIMESTAMPS = 20;
    public static final int WANT_OPEN_XOR_DELEGATION = 21;
    public static final int CLAIM_NULL = 0;
    public static final int CLAIM_PREVIOUS = 1;
    public static final int CLAIM_DELEGATE_CUR = 2;
    public static final int CLAIM_FH = 4;
    public static final int CLAIM_DELEG_CUR_FH = 5;

    static final int[] SHARE_ACCESS = Bitmap.of(SHARE_ACCESS_READ, SHARE_ACCESS_WRITE, SHARE_ACCESS_BOTH);
    /** NONE, READ, WRITE, BOTH. */
    static final int[] SHARE_DENY = Bitmap.of(0, 1, 2, 3);
    static final int[] SHARE_ACCESS_WANT = Bitmap.of(WANT_ANY_DELEG, WANT_NO_DELEG, WANT_CANCEL,
            WANT_DELEG_TIMESTAMPS, WANT_OPEN_XOR_DELEGATION);
    static final int[] OPEN_CLAIM = Bitmap.of(CLAIM_NULL, CLAIM_PREVIOUS, CLAIM_DELEGATE_CUR, CLAIM_FH,
            CLAIM_DELEG_CUR_FH);
    /** UNCHECKED4, GUARDED4, EXCLUSIVE4, EXCLUSIVE4_1. */
    static final int[] CREATE_MODE = Bitmap.of(0, 1, 2, 3);

    private OpenArguments() {}

    /** open_arguments4: five bitmaps, in the RFC's order. */
    static void encode(XdrEncoder out) {
        out.writeBitmap(SHARE_ACCESS).writeBitmap(SHARE_DENY).writeBitmap(SHARE_ACCESS_WANT)
                .writeBitmap(OPEN_CLAIM).writeBitmap(CREATE_MODE);
    }
}

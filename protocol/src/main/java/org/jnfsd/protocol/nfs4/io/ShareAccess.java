package org.jnfsd.protocol.nfs4.io;

/**
 * The bits of OPEN's share_access and share_deny (RFC 8881 §18.16.3): the access and deny modes in
 * the low byte, and in share_access the NFSv4.1 delegation wants (bits 8-15) and signal flags.
 */
public final class ShareAccess {
    public static final int ACCESS_READ = 0x1;
    public static final int ACCESS_WRITE = 0x2;
    public static final int ACCESS_BOTH = 0x3;
    /** The access/deny mode bits proper. */
    public static final int MODE_MASK = 0x3;

    public static final int DENY_NONE = 0x0;
    public static final int DENY_READ = 0x1;
    public static final int DENY_WRITE = 0x2;
    public static final int DENY_BOTH = 0x3;

    public static final int WANT_DELEG_MASK = 0xFF00;
    public static final int WANT_NO_PREFERENCE = 0x0000;
    public static final int WANT_READ_DELEG = 0x0100;
    public static final int WANT_WRITE_DELEG = 0x0200;
    public static final int WANT_ANY_DELEG = 0x0300;
    public static final int WANT_NO_DELEG = 0x0400;
    public static final int WANT_CANCEL = 0x0500;
    public static final int WANT_SIGNAL_DELEG_WHEN_RESRC_AVAIL = 0x10000;
    public static final int WANT_PUSH_DELEG_WHEN_UNCONTENDED = 0x20000;
    /** RFC 9754 (NFSv4.2): the client wants delegated timestamps with its delegation. */
    public static final int WANT_DELEG_TIMESTAMPS = 0x100000;
    /** RFC 9754 (NFSv4.2): a granted delegation replaces the open stateid. */
    public static final int WANT_OPEN_XOR_DELEGATION = 0x200000;

    private ShareAccess() {}

    /** The access mode bits (READ, WRITE) of a share_access value. */
    public static int mode(int shareAccess) {
        return shareAccess & MODE_MASK;
    }

    /** The delegation want (one of the WANT_* values in bits 8-15). */
    public static int want(int shareAccess) {
        return shareAccess & WANT_DELEG_MASK;
    }

    /** Whether any 4.1 want or signal bit is present. */
    public static boolean hasWants(int shareAccess) {
        return (shareAccess & ~MODE_MASK) != 0;
    }
}

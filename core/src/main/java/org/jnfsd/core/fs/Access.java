package org.jnfsd.core.fs;

import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Stat;

/** POSIX permission checks of an {@link Identity} against a file's mode, uid and gid. */
public final class Access {
    /** ACCESS4_* bits (RFC 8881 §18.1). */
    public static final int READ = 0x01;
    public static final int LOOKUP = 0x02;
    public static final int MODIFY = 0x04;
    public static final int EXTEND = 0x08;
    public static final int DELETE = 0x10;
    public static final int EXECUTE = 0x20;
    /** ACCESS4_XA* bits (RFC 8276 §8.2): read, write and list extended attributes. */
    public static final int XAREAD = 0x40;
    public static final int XAWRITE = 0x80;
    public static final int XALIST = 0x100;

    private Access() {}

    /** The rwx bits (0..7) that apply to {@code who} for {@code st}. */
    public static int permissionBits(Stat st, Identity who) {
        if (who.isRoot()) {
            // root may read and write anything; it may execute only what someone may execute
            boolean anyX = (st.mode() & 0111) != 0 || st.type() == FileType.DIRECTORY;
            return 06 | (anyX ? 01 : 0);
        }
        if (who.uid() == st.uid()) {
            return (st.mode() >> 6) & 7;
        }
        if (who.inGroup(st.gid())) {
            return (st.mode() >> 3) & 7;
        }
        return st.mode() & 7;
    }

    public static boolean mayRead(Stat st, Identity who) {
        return (permissionBits(st, who) & 4) != 0;
    }

    public static boolean mayWrite(Stat st, Identity who) {
        return (permissionBits(st, who) & 2) != 0;
    }

    public static boolean mayExecute(Stat st, Identity who) {
        return (permissionBits(st, who) & 1) != 0;
    }

    /** The subset of the requested ACCESS4_* bits that {@code who} is granted on {@code st}. */
    public static int granted(Stat st, Identity who, int requested) {
        int p = permissionBits(st, who);
        int g = 0;
        boolean dir = st.type() == FileType.DIRECTORY;
        if ((p & 4) != 0) {
            g |= READ | XAREAD | XALIST;
        }
        if ((p & 2) != 0) {
            g |= MODIFY | EXTEND | XAWRITE | (dir ? DELETE : 0);
        }
        if ((p & 1) != 0) {
            g |= dir ? LOOKUP : EXECUTE;
        }
        return g & requested;
    }
}

package org.jnfsd.core.state.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;

/**
 * A byte range, {@code first} to {@code last} inclusive, both unsigned 64-bit values. A range whose
 * last byte is all ones runs to the end of the file (a wire length of all ones); no other range can
 * reach that byte, since offset + length must stay below 2^64.
 */
public record LockRange(long first, long last) {
    /** All ones: the wire length meaning "to end of file", and the last byte of such a range. */
    public static final long TO_EOF = -1L;

    public LockRange {
        if (Long.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("range " + Long.toUnsignedString(first) + ".."
                    + Long.toUnsignedString(last));
        }
    }

    /**
     * The range of a wire (offset, length), as knfsd checks it: length 0 is NFS4ERR_INVAL, length all
     * ones runs to end of file, and any other offset + length beyond 2^64 - 1 is NFS4ERR_INVAL.
     */
    public static LockRange of(long offset, long length) throws NfsException {
        if (length == 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "lock length 0");
        }
        if (length == TO_EOF) {
            return new LockRange(offset, TO_EOF);
        }
        if (Long.compareUnsigned(length, ~offset) > 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "lock offset " + Long.toUnsignedString(offset)
                    + " + length " + Long.toUnsignedString(length) + " overflows 64 bits");
        }
        return new LockRange(offset, offset + length - 1);
    }

    /** The wire length: all ones for a range to end of file. */
    public long length() {
        return last == TO_EOF ? TO_EOF : last - first + 1;
    }

    public boolean overlaps(LockRange o) {
        return Long.compareUnsigned(first, o.last) <= 0 && Long.compareUnsigned(o.first, last) <= 0;
    }

    @Override
    public String toString() {
        return "[" + Long.toUnsignedString(first) + ".." + (last == TO_EOF ? "EOF" : Long.toUnsignedString(last)) + "]";
    }
}

package org.jnfsd.core.state;

/**
 * The kinds of stateid a client holds. The kind is written into every stateid's {@code other}
 * ({@link StateIdAllocator}), so TEST_STATEID and FREE_STATEID find the table that owns a stateid
 * without asking every table, and a stateid of one kind used where another is expected is
 * NFS4ERR_BAD_STATEID.
 */
public enum StateKind {
    OPEN(1),
    LOCK(2),
    DELEGATION(3),
    COPY(4);

    final byte tag;

    StateKind(int tag) {
        this.tag = (byte) tag;
    }

    static StateKind ofTag(byte tag) {
        for (StateKind k : values()) {
            if (k.tag == tag) {
                return k;
            }
        }
        return null;
    }
}

package org.jnfsd.core.session;

/**
 * clientid4 as this server builds it: the high 32 bits are the boot epoch of the server instance
 * that issued it, the low 32 bits a counter. A clientid from another instance (before a restart)
 * therefore never matches, and is answered NFS4ERR_STALE_CLIENTID.
 */
public record ClientId(long value) {
    static ClientId of(int epoch, int counter) {
        return new ClientId(((long) epoch << 32) | (counter & 0xffffffffL));
    }

    public int epoch() {
        return (int) (value >>> 32);
    }

    /** The id as 16 hex digits, as logs and {@code jnfsd clients} show it and {@code jnfsd evict} takes it. */
    public String hex() {
        return String.format("%016x", value);
    }

    @Override
    public String toString() {
        return "ClientId[" + Long.toHexString(value) + "]";
    }
}

package org.jnfsd.core.recovery;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A client that may reclaim state after a restart, as the recovery store keeps it: its client owner
 * id (co_ownerid, which a client presents unchanged after a server restart) and the principal that
 * created it (kept for diagnostics; reclaim eligibility is by owner id, as knfsd's nfsdcld).
 */
public record ReclaimableClient(byte[] ownerId, String principal) {
    public ReclaimableClient {
        ownerId = ownerId.clone();
    }

    @Override
    public byte[] ownerId() {
        return ownerId.clone();
    }

    /** The owner id in lower-case hex: the key the store and the grace period use. */
    public String ownerKey() {
        return HexFormat.of().formatHex(ownerId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReclaimableClient r && Arrays.equals(r.ownerId, ownerId) && r.principal.equals(principal);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ownerId) * 31 + principal.hashCode();
    }

    @Override
    public String toString() {
        return "ReclaimableClient[" + ownerKey() + " " + principal + "]";
    }
}

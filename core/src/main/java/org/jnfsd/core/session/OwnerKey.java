package org.jnfsd.core.session;

import java.util.Arrays;

/** co_ownerid as a map key (content equality). */
record OwnerKey(byte[] bytes) {
    OwnerKey {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnerKey k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}

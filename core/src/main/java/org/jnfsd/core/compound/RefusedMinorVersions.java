package org.jnfsd.core.compound;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, at INFO, the first COMPOUND of each client address with a minor version the server does not
 * serve (one it was never built for, or one {@code --versions} switched off): without it a client
 * mounting with the wrong version only sees "Protocol not supported" and the server says nothing.
 * Remembers at most {@link #MAX_REMEMBERED} (address, version) pairs, so a peer cycling through
 * versions or addresses cannot grow it; beyond that, nothing more is logged. Thread-safe.
 */
final class RefusedMinorVersions {
    private static final Logger log = LoggerFactory.getLogger(RefusedMinorVersions.class);
    static final int MAX_REMEMBERED = 4096;

    private record Key(InetAddress address, int minor) {}

    private final Set<Key> seen = ConcurrentHashMap.newKeySet();
    private final Set<Integer> served;

    RefusedMinorVersions(Set<Integer> served) {
        this.served = Set.copyOf(served);
    }

    /** Records a refused COMPOUND; returns whether this call logged it. */
    boolean refused(InetAddress client, int minor) {
        if (seen.size() >= MAX_REMEMBERED || !seen.add(new Key(client, minor))) {
            return false;
        }
        log.info("client {} uses NFSv4.{}, which this server does not serve (served: {}): answered "
                + "NFS4ERR_MINOR_VERS_MISMATCH", client.getHostAddress(), Integer.toUnsignedString(minor),
                served.stream().sorted().map(v -> "4." + v).toList());
        return true;
    }
}

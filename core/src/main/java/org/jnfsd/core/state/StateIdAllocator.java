package org.jnfsd.core.state;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * Allocates the {@code other} field of every stateid of one server instance, for every kind:
 * 4 bytes of this instance's epoch, 1 byte of {@link StateKind}, 7 bytes of a counter shared by all
 * kinds. A stateid with another epoch was issued by another server instance
 * (NFS4ERR_STALE_STATEID). One per server ({@code ServerContext.stateIds()}); the lock, delegation
 * and copy tables allocate through it too. Thread-safe.
 */
public final class StateIdAllocator {
    private static final long COUNTER_MASK = (1L << 56) - 1;

    private final int epoch;
    private final AtomicLong next = new AtomicLong(1);

    /** A random epoch: distinct, with overwhelming probability, for each server instance. */
    public StateIdAllocator() {
        this(randomEpoch());
    }

    public StateIdAllocator(int epoch) {
        if (epoch == 0 || epoch == -1) {
            throw new IllegalArgumentException("epoch 0 and all-ones collide with special stateids");
        }
        this.epoch = epoch;
    }

    private static int randomEpoch() {
        SecureRandom r = new SecureRandom();
        int e;
        do {
            e = r.nextInt();
        } while (e == 0 || e == -1);
        return e;
    }

    /** A fresh {@code other} of {@code kind}. */
    public byte[] newOther(StateKind kind) {
        long n = next.getAndIncrement() & COUNTER_MASK;
        return ByteBuffer.allocate(StateId.OTHER_SIZE).putInt(epoch).put(kind.tag).put(counterBytes(n)).array();
    }

    private static byte[] counterBytes(long n) {
        byte[] b = new byte[7];
        for (int i = 6; i >= 0; i--) {
            b[i] = (byte) n;
            n >>>= 8;
        }
        return b;
    }

    /** Whether this server instance issued {@code s} (false for special stateids). */
    public boolean issuedHere(StateId s) {
        return !s.isSpecial() && ByteBuffer.wrap(s.other()).getInt() == epoch;
    }

    /** The kind of a stateid issued here, or null for an unknown tag. */
    public StateKind kindOf(StateId s) {
        return StateKind.ofTag(s.other()[4]);
    }
}

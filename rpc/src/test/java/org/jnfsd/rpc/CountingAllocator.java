package org.jnfsd.rpc;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * A pooled allocator without thread caches, so that its arena metrics count exactly the buffers
 * not yet released: a test that closes everything and still sees {@link #live()} above zero found
 * a leak, deterministically (unlike the leak detector, which needs a GC).
 */
final class CountingAllocator {
    private CountingAllocator() {
    }

    static PooledByteBufAllocator create() {
        return new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
    }

    static long live(PooledByteBufAllocator alloc) {
        long n = 0;
        for (PoolArenaMetric a : alloc.metric().directArenas()) {
            n += a.numActiveAllocations();
        }
        for (PoolArenaMetric a : alloc.metric().heapArenas()) {
            n += a.numActiveAllocations();
        }
        return n;
    }
}

package org.jnfsd.vfs.memory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * The bytes of one regular file, stored as fixed-size chunks; a chunk that was never written is a
 * hole and reads as zeros. Not thread-safe: the owning {@link MemoryFileSystem} guards it with its
 * tree lock.
 */
final class SparseContent {
    static final int CHUNK = 64 * 1024;

    private final TreeMap<Long, byte[]> chunks = new TreeMap<>();
    private long size;

    long size() {
        return size;
    }

    /** Bytes allocated (whole chunks). */
    long allocated() {
        return (long) chunks.size() * CHUNK;
    }

    /** How many bytes {@link #write} at {@code offset} of {@code length} bytes would newly allocate. */
    long allocationFor(long offset, long length) {
        if (length == 0) {
            return 0;
        }
        long first = offset / CHUNK;
        long last = (offset + length - 1) / CHUNK;
        long missing = 0;
        for (long i = first; i <= last; i++) {
            if (!chunks.containsKey(i)) {
                missing++;
            }
        }
        return missing * CHUNK;
    }

    /** Copies bytes at {@code offset} into {@code dst} up to EOF; returns true when EOF was reached. */
    boolean read(long offset, ByteBuffer dst) {
        long end = Math.min(size, offset + dst.remaining());
        long pos = offset;
        while (pos < end) {
            long index = pos / CHUNK;
            int within = (int) (pos % CHUNK);
            int n = (int) Math.min(CHUNK - within, end - pos);
            byte[] chunk = chunks.get(index);
            if (chunk == null) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                dst.put(chunk, within, n);
            }
            pos += n;
        }
        return pos >= size;
    }

    /** Writes all of {@code src} at {@code offset}; a gap after the old EOF reads as zeros. */
    void write(long offset, ByteBuffer src) {
        long pos = offset;
        while (src.hasRemaining()) {
            long index = pos / CHUNK;
            int within = (int) (pos % CHUNK);
            int n = Math.min(CHUNK - within, src.remaining());
            byte[] chunk = chunks.computeIfAbsent(index, i -> new byte[CHUNK]);
            src.get(chunk, within, n);
            pos += n;
        }
        size = Math.max(size, pos);
    }

    /** Truncates or extends to {@code newSize}; bytes past the old EOF read as zeros. */
    void resize(long newSize) {
        if (newSize < size) {
            long keepChunks = (newSize + CHUNK - 1) / CHUNK;
            chunks.tailMap(keepChunks, true).clear();
            int within = (int) (newSize % CHUNK);
            if (within != 0) {
                byte[] last = chunks.get(newSize / CHUNK);
                if (last != null) {
                    Arrays.fill(last, within, CHUNK, (byte) 0);
                }
            }
        }
        size = newSize;
    }
    /** Number of chunks that {@link #allocate} of this range would add (same as a write's). */
    long allocateBytes(long offset, long length) {
        return allocationFor(offset, length);
    }

    /** Makes every chunk of the range exist (zero-filled where missing) and grows the size to cover it. */
    void allocate(long offset, long length) {
        if (length == 0) {
            return;
        }
        long first = offset / CHUNK;
        long last = (offset + length - 1) / CHUNK;
        for (long i = first; i <= last; i++) {
            chunks.computeIfAbsent(i, x -> new byte[CHUNK]);
        }
        size = Math.max(size, offset + length);
    }

    /**
     * Zeroes the range within the file (the size does not change) and drops the chunks it covers
     * whole.
     *
     * @return the bytes freed
     */
    long deallocate(long offset, long length) {
        long end = Math.min(size, offset + length);
        if (end <= offset) {
            return 0;
        }
        long freed = 0;
        long first = offset / CHUNK;
        long last = (end - 1) / CHUNK;
        // only the chunks that exist: a huge range over a sparse file costs nothing
        for (var it = chunks.subMap(first, true, last, true).entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            long chunkStart = e.getKey() * CHUNK;
            int from = (int) Math.max(0, offset - chunkStart);
            int to = (int) Math.min(CHUNK, end - chunkStart);
            boolean whole = from == 0 && (to == CHUNK || chunkStart + to >= size);
            if (whole) {
                it.remove();
                freed += CHUNK;
            } else {
                Arrays.fill(e.getValue(), from, to, (byte) 0);
            }
        }
        return freed;
    }

    /**
     * The first offset at or after {@code offset} (which is below {@link #size()}) in a chunk that
     * exists ({@code data}) or does not ({@code !data}); a hole is always found at {@link #size()};
     * -1 when no data follows.
     */
    long seek(long offset, boolean data) {
        long index = offset / CHUNK;
        if (data) {
            Long next = chunks.ceilingKey(index);
            if (next == null) {
                return -1;
            }
            long at = Math.max(offset, next * CHUNK);
            return at < size ? at : -1;
        }
        long i = index;
        while (chunks.containsKey(i)) {
            i++;
        }
        return Math.min(size, Math.max(offset, i * CHUNK));
    }
}

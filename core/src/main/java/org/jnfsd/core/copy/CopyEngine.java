package org.jnfsd.core.copy;

import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs the byte copying of COPY in bounded chunks through {@link VirtualFileSystem#copy} (so
 * the local backend copies inside the kernel), stopping early at the source's end of file or when
 * the copy is cancelled between chunks. Immutable and thread-safe.
 *
 * <p>Used by the synchronous COPY on the request's thread and by {@link Copies} on each async copy's
 * own task.
 */
public final class CopyEngine {
    private static final Logger log = LoggerFactory.getLogger(CopyEngine.class);

    /** Default chunk: large enough for the kernel to copy efficiently, small enough to cancel promptly. */
    public static final long DEFAULT_CHUNK = 4L << 20;

    private final long chunkBytes;

    public CopyEngine(long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
    }

    /** The outcome of a copy: bytes copied, and the failure that stopped it early (null if none). */
    public record Outcome(long copied, VfsException failure) {}

    /**
     * Copies up to {@code length} bytes in chunks. A failure after some bytes were copied ends the
     * copy with those bytes reported (a partial copy); a failure before any is in the outcome too.
     *
     * @param copy the async copy to report progress to and to stop when cancelled; null when synchronous
     */
    public Outcome copy(VirtualFileSystem fs, Inode src, long srcOffset, Inode dst, long dstOffset, long length,
            AsyncCopy copy) {
        long done = 0;
        while (done < length) {
            if (copy != null && copy.isCancelled()) {
                break;
            }
            long n;
            long want = Math.min(chunkBytes, length - done);
            try {
                n = fs.copy(src, srcOffset + done, dst, dstOffset + done, want);
            } catch (VfsException e) {
                log.debug("copy stopped after {} bytes", done, e);
                return new Outcome(done, e);
            }
            done += n;
            if (copy != null) {
                copy.progress(n);
            }
            if (n < want) {
                break; // the source's end of file
            }
        }
        return new Outcome(done, null);
    }
}

package org.jnfsd.vfs;

import java.nio.ByteBuffer;

/** The streaming copy backends fall back to when they cannot copy inside the storage. */
public final class Copying {
    /** The size of one piece of a streaming copy. */
    public static final int PIECE = 1 << 20;

    private Copying() {}

    /**
     * Copies through {@link VirtualFileSystem#read} and {@link VirtualFileSystem#write} (unstable) in
     * pieces of {@link #PIECE} bytes, until {@code length} bytes or the source's end of file.
     *
     * @return the number of bytes copied
     */
    public static long stream(VirtualFileSystem fs, Inode src, long srcOffset, Inode dst, long dstOffset, long length)
            throws VfsException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(PIECE, Math.max(length, 1)));
        long done = 0;
        while (done < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - done));
            boolean eof = fs.read(src, srcOffset + done, buf);
            buf.flip();
            int n = buf.remaining();
            if (n > 0) {
                fs.write(dst, dstOffset + done, buf, Stability.UNSTABLE);
                done += n;
            }
            if (eof || n == 0) {
                break;
            }
        }
        return done;
    }
}

package org.jnfsd.core.ops.io;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * READ4res written by reading from the backend straight into the reply buffer: no intermediate
 * copy. The read happens in {@link #encode}; should the backend fail there, the bytes written so
 * far are rewound and the result becomes that failure, so {@link #status()} is final only once
 * encode returned (the COMPOUND engine asks for it after encoding). Confined to the request thread.
 */
final class ReadReply implements OpResult {
    private static final Logger log = LoggerFactory.getLogger(ReadReply.class);

    private final VirtualFileSystem fs;
    private final Inode inode;
    private final long offset;
    private final int count;
    private final ServerCounters counters;
    private NfsStatus status = NfsStatus.NFS4_OK; // written by encode only

    ReadReply(VirtualFileSystem fs, Inode inode, long offset, int count, ServerCounters counters) {
        this.fs = fs;
        this.counters = counters;
        this.inode = inode;
        this.offset = offset;
        this.count = count;
    }

    @Override
    public NfsStatus status() {
        return status;
    }

    @Override
    public void encode(XdrEncoder out) {
        ByteBuf buf = out.buffer();
        int start = buf.writerIndex();
        out.writeInt(NfsStatus.NFS4_OK.code());
        int eofPos = out.reserveInt();
        int lenPos = out.reserveInt();
        buf.ensureWritable(XdrDecoder.padded(count));
        int dataPos = buf.writerIndex();
        boolean eof;
        int n;
        try {
            if (buf.nioBufferCount() == 1) {
                ByteBuffer dst = buf.nioBuffer(dataPos, count);
                eof = fs.read(inode, offset, dst);
                n = dst.position();
            } else {
                // a buffer that cannot expose one NIO view of its free space (rare: composite)
                ByteBuffer tmp = ByteBuffer.allocate(count);
                eof = fs.read(inode, offset, tmp);
                tmp.flip();
                n = tmp.remaining();
                buf.setBytes(dataPos, tmp);
            }
        } catch (VfsException e) {
            NfsException failure = NfsException.of(e);
            if (failure.isServerFault()) {
                log.error("READ of {} at {} failed", inode, offset, failure);
            } else {
                log.debug("READ of {} at {}: {}", inode, offset, failure.status());
            }
            buf.writerIndex(start);
            status = failure.status();
            out.writeInt(status.code());
            return;
        }
        buf.writerIndex(dataPos + n);
        counters.add(ServerEvent.BYTES_READ, n);
        out.pad(n);
        out.setInt(eofPos, eof ? 1 : 0);
        out.setInt(lenPos, n);
    }

    @Override
    public String toString() {
        return "ReadReply[" + inode + " at " + offset + ", " + count + " bytes, " + status + "]";
    }
}

package org.jnfsd.server.example;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.jnfsd.vfs.ForwardingFileSystem;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * docs/backends.md's example backend: another backend, plus a count of the files created and the
 * bytes written through it. Everything else is forwarded.
 */
public final class CountingFileSystem extends ForwardingFileSystem {
    private final LongAdder filesCreated = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();

    public CountingFileSystem(VirtualFileSystem delegate) {
        super(delegate);
    }

    @Override
    public Inode createFile(Inode dir, String name, SetAttributes attrs, boolean exclusive) throws VfsException {
        Inode created = super.createFile(dir, name, attrs, exclusive);
        filesCreated.increment();
        return created;
    }

    @Override
    public void write(Inode file, long offset, ByteBuffer src, Stability stability) throws VfsException {
        int length = src.remaining();
        super.write(file, offset, src, stability);
        bytesWritten.add(length);
    }

    public long filesCreated() {
        return filesCreated.sum();
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }
}

package org.jnfsd.core.attr;

import java.lang.reflect.Proxy;
import java.time.Instant;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.FsStat;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/** A backend that answers only what the attribute codec asks of it, for tests without storage. */
final class TestFs {
    static final long FSID = 7;
    static final Inode INODE = new Inode(new byte[] {1, 2, 3});

    private TestFs() {}

    /** A file system whose fsStat() returns fixed figures, or fails with IO when {@code failing}. */
    static VirtualFileSystem fs(boolean failing) {
        return (VirtualFileSystem) Proxy.newProxyInstance(TestFs.class.getClassLoader(),
                new Class<?>[] {VirtualFileSystem.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "root" -> INODE;
                    case "fsid" -> FSID;
                    case "maxFileSize" -> Long.MAX_VALUE;
                    case "maxNameLength" -> 255;
                    case "cloneBlockSize" -> 4096;
                    case "xattrSupport" -> true;
                    case "fsStat" -> {
                        if (failing) {
                            throw new VfsException(VfsError.IO, "disk on fire");
                        }
                        yield new FsStat(1000, 600, 500, 100, 60, 50);
                    }
                    case "close" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "TestFs";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static Stat file(long size, int mode, int uid, int gid, Instant birth) {
        Instant t = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        return new Stat(FileType.REGULAR, 42, mode, 1, uid, gid, size, 4096, t, t.plusSeconds(1), t.plusSeconds(2),
                birth, 99, 0, 0);
    }

    static AttrSource source(Stat st, int minor, boolean failingFs) {
        Export export = new Export(3, "/x", fs(failingFs));
        return new AttrSource(st, new FileHandle(3, INODE), export, ServerConfig.defaults(), minor);
    }
}

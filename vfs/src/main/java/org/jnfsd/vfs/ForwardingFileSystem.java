package org.jnfsd.vfs;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link VirtualFileSystem} that forwards every call to another one: the base of a backend that
 * adds to an existing one (counting, auditing, quotas, a read-only view, fault injection) by
 * overriding only the calls it changes. It forwards the optional calls too (seek, allocate,
 * clone, copy ...), so the wrapped backend's own implementations stay in use. Thread-safe when
 * the delegate is. See docs/backends.md.
 */
public abstract class ForwardingFileSystem implements VirtualFileSystem {
    private final VirtualFileSystem delegate;

    protected ForwardingFileSystem(VirtualFileSystem delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The backend every call goes to. */
    protected VirtualFileSystem delegate() {
        return delegate;
    }

    @Override
    public Inode root() {
        return delegate.root();
    }

    @Override
    public long fsid() {
        return delegate.fsid();
    }

    @Override
    public Inode lookup(Inode dir, String name) throws VfsException {
        return delegate.lookup(dir, name);
    }

    @Override
    public Inode lookupIfExists(Inode dir, String name) throws VfsException {
        return delegate.lookupIfExists(dir, name);
    }

    @Override
    public LookupResult lookupWithDir(Inode dir, String name) throws VfsException {
        return delegate.lookupWithDir(dir, name);
    }

    @Override
    public LookupResult lookupWithDir(Inode dir, Stat dirAttrs, String name) throws VfsException {
        return delegate.lookupWithDir(dir, dirAttrs, name);
    }

    @Override
    public Inode parent(Inode dir) throws VfsException {
        return delegate.parent(dir);
    }

    @Override
    public Stat getattr(Inode inode) throws VfsException {
        return delegate.getattr(inode);
    }

    @Override
    public Stat setattr(Inode inode, SetAttributes attrs) throws VfsException {
        return delegate.setattr(inode, attrs);
    }

    @Override
    public Inode createFile(Inode dir, String name, SetAttributes attrs, boolean exclusive) throws VfsException {
        return delegate.createFile(dir, name, attrs, exclusive);
    }

    @Override
    public Inode mkdir(Inode dir, String name, SetAttributes attrs) throws VfsException {
        return delegate.mkdir(dir, name, attrs);
    }

    @Override
    public Inode symlink(Inode dir, String name, String target, SetAttributes attrs) throws VfsException {
        return delegate.symlink(dir, name, target, attrs);
    }

    @Override
    public Inode mknod(Inode dir, String name, FileType type, int major, int minor, SetAttributes attrs)
            throws VfsException {
        return delegate.mknod(dir, name, type, major, minor, attrs);
    }

    @Override
    public void link(Inode target, Inode dir, String name) throws VfsException {
        delegate.link(target, dir, name);
    }

    @Override
    public void remove(Inode dir, String name) throws VfsException {
        delegate.remove(dir, name);
    }

    @Override
    public void rename(Inode fromDir, String fromName, Inode toDir, String toName) throws VfsException {
        delegate.rename(fromDir, fromName, toDir, toName);
    }

    @Override
    public String readlink(Inode symlink) throws VfsException {
        return delegate.readlink(symlink);
    }

    @Override
    public DirList readdir(Inode dir, long cookie, int maxEntries) throws VfsException {
        return delegate.readdir(dir, cookie, maxEntries);
    }

    @Override
    public boolean read(Inode file, long offset, ByteBuffer dst) throws VfsException {
        return delegate.read(file, offset, dst);
    }

    @Override
    public void write(Inode file, long offset, ByteBuffer src, Stability stability) throws VfsException {
        delegate.write(file, offset, src, stability);
    }

    @Override
    public void write(Inode file, long offset, ByteBuffer[] srcs, Stability stability) throws VfsException {
        delegate.write(file, offset, srcs, stability);
    }

    @Override
    public void commit(Inode file) throws VfsException {
        delegate.commit(file);
    }

    @Override
    public FsStat fsStat() throws VfsException {
        return delegate.fsStat();
    }

    @Override
    public long maxFileSize() {
        return delegate.maxFileSize();
    }

    @Override
    public int maxNameLength() {
        return delegate.maxNameLength();
    }

    @Override
    public SeekResult seek(Inode file, long offset, SeekWhat what) throws VfsException {
        return delegate.seek(file, offset, what);
    }

    @Override
    public void allocate(Inode file, long offset, long length) throws VfsException {
        delegate.allocate(file, offset, length);
    }

    @Override
    public void deallocate(Inode file, long offset, long length) throws VfsException {
        delegate.deallocate(file, offset, length);
    }

    @Override
    public int cloneBlockSize() {
        return delegate.cloneBlockSize();
    }

    @Override
    public void clone(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        delegate.clone(src, srcOffset, dst, dstOffset, length);
    }

    @Override
    public long copy(Inode src, long srcOffset, Inode dst, long dstOffset, long length) throws VfsException {
        return delegate.copy(src, srcOffset, dst, dstOffset, length);
    }

    @Override
    public boolean xattrSupport() {
        return delegate.xattrSupport();
    }

    @Override
    public byte[] getxattr(Inode inode, String name) throws VfsException {
        return delegate.getxattr(inode, name);
    }

    @Override
    public void setxattr(Inode inode, String name, byte[] value, XattrMode mode) throws VfsException {
        delegate.setxattr(inode, name, value, mode);
    }

    @Override
    public java.util.List<String> listxattr(Inode inode) throws VfsException {
        return delegate.listxattr(inode);
    }

    @Override
    public void removexattr(Inode inode, String name) throws VfsException {
        delegate.removexattr(inode, name);
    }

    @Override
    public void close() {
        delegate.close();
    }
}

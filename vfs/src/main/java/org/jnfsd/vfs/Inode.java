package org.jnfsd.vfs;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A backend's opaque, persistent handle for one file object: what a backend puts in it is its own
 * business (the local backend: inode number and a generation), but it must keep naming the same
 * object for the object's life, across server restarts where the backend is persistent. At most
 * {@link #MAX_SIZE} bytes so that a file handle (version, export id, inode) fits NFS4_FHSIZE (128).
 */
public record Inode(byte[] bytes) {
    public static final int MAX_SIZE = 112;

    public Inode {
        if (bytes.length == 0 || bytes.length > MAX_SIZE) {
            throw new IllegalArgumentException("inode handle of " + bytes.length + " bytes");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inode i && Arrays.equals(i.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Inode[" + HexFormat.of().formatHex(bytes) + "]";
    }
}

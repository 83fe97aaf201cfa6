package org.jnfsd.core.fs;

import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.vfs.Inode;

/**
 * An NFS file handle: opaque to clients, versioned, naming an export and a backend inode.
 * Layout: version byte (1), export id (4 bytes, big-endian), the inode's bytes.
 */
public record FileHandle(int exportId, Inode inode) {
    public static final int NFS4_FHSIZE = 128;
    static final byte VERSION = 1;

    public byte[] toBytes() {
        byte[] ino = inode.bytes();
        byte[] out = new byte[5 + ino.length];
        out[0] = VERSION;
        out[1] = (byte) (exportId >>> 24);
        out[2] = (byte) (exportId >>> 16);
        out[3] = (byte) (exportId >>> 8);
        out[4] = (byte) exportId;
        System.arraycopy(ino, 0, out, 5, ino.length);
        return out;
    }

    /** Parses a handle from a client; anything malformed is NFS4ERR_BADHANDLE. */
    public static FileHandle fromBytes(byte[] b) throws NfsException {
        if (b.length < 6 || b.length > NFS4_FHSIZE || b[0] != VERSION) {
            throw new NfsException(NfsStatus.NFS4ERR_BADHANDLE, "malformed file handle " + HexFormat.of().formatHex(b));
        }
        int exportId = Unpooled.wrappedBuffer(b, 1, 4).readInt();
        return new FileHandle(exportId, new Inode(Arrays.copyOfRange(b, 5, b.length)));
    }

    @Override
    public String toString() {
        return "FH[" + exportId + ":" + HexFormat.of().formatHex(inode.bytes()) + "]";
    }
}

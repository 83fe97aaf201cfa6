package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** nfs_space_limit4: how far a write delegation holder may extend the file. */
public sealed interface SpaceLimit {
    int NFS_LIMIT_SIZE = 1;
    int NFS_LIMIT_BLOCKS = 2;

    void encode(XdrEncoder out);

    record Size(long fileSize) implements SpaceLimit {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(NFS_LIMIT_SIZE).writeLong(fileSize);
        }
    }

    record Blocks(int numBlocks, int bytesPerBlock) implements SpaceLimit {
        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(NFS_LIMIT_BLOCKS).writeInt(numBlocks).writeInt(bytesPerBlock);
        }
    }

    static SpaceLimit decode(XdrDecoder in) {
        int by = in.readInt();
        return switch (by) {
            case NFS_LIMIT_SIZE -> new Size(in.readLong());
            case NFS_LIMIT_BLOCKS -> {
                int n = in.readInt();
                yield new Blocks(n, in.readInt());
            }
            default -> throw new XdrException("limit_by4 " + by);
        };
    }
}

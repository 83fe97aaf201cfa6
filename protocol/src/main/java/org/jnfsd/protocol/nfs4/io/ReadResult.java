package org.jnfsd.protocol.nfs4.io;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * READ4resok as the client reads it (data copied). The server does not build this: it reads from
 * the backend straight into the reply buffer.
 */
public record ReadResult(boolean eof, byte[] data) implements OpResult {
    /** Largest READ payload the client accepts. */
    public static final int MAX_DATA = 64 * 1024 * 1024;

    public ReadResult {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The number of bytes read, without copying them as {@link #data()} does. */
    public int length() {
        return data.length;
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeBool(eof).writeOpaque(data);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        boolean eof = in.readBool();
        return new ReadResult(eof, in.readOpaque(MAX_DATA));
    }
}

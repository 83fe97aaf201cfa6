package org.jnfsd.protocol.nfs4.v42;

import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * write_response4 (COPY's result, and CB_OFFLOAD's).
 *
 * @param callbackId the copy's stateid for an asynchronous copy, null for a synchronous one
 * @param count unsigned 64-bit on the wire
 */
public record WriteResponse(StateId callbackId, long count, StableHow committed, Verifier writeVerifier) {
    public static WriteResponse decode(XdrDecoder in) {
        int n = in.readArrayLength(1, 16);
        StateId id = n == 1 ? StateId.decode(in) : null;
        return new WriteResponse(id, in.readLong(), StableHow.fromCode(in.readInt()), Verifier.decode(in));
    }

    public void encode(XdrEncoder out) {
        if (callbackId == null) {
            out.writeInt(0);
        } else {
            out.writeInt(1);
            callbackId.encode(out);
        }
        out.writeLong(count).writeInt(committed.code());
        writeVerifier.encode(out);
    }
}

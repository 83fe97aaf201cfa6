package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** GETATTR4args: the requested attribute bitmap. */
public record GetattrArgs(int[] request) implements OpArgs {
    public GetattrArgs {
        request = request.clone();
    }

    @Override
    public int[] request() {
        return request.clone();
    }

    public static GetattrArgs decode(XdrDecoder in) {
        return new GetattrArgs(in.readBitmap(Fattr4.MAX_MASK_WORDS));
    }

    @Override
    public Opcode opcode() {
        return Opcode.GETATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeBitmap(request);
    }
}

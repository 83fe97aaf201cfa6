package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** ACCESS4args: the ACCESS4_* bits the client asks about. */
public record AccessArgs(int access) implements OpArgs {
    public static AccessArgs decode(XdrDecoder in) {
        return new AccessArgs(in.readInt());
    }

    @Override
    public Opcode opcode() {
        return Opcode.ACCESS;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(access);
    }
}

package org.jnfsd.protocol.nfs4.xattr;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** GETXATTR4args: the name (without "user."). */
public record GetxattrArgs(byte[] name) implements OpArgs {
    public GetxattrArgs {
        name = name.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    public static GetxattrArgs of(String name) {
        return new GetxattrArgs(XattrKey.utf8(name));
    }

    public static GetxattrArgs decode(XdrDecoder in) {
        return new GetxattrArgs(XattrKey.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.GETXATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(name);
    }
}

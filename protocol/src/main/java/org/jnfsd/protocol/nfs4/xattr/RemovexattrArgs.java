package org.jnfsd.protocol.nfs4.xattr;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** REMOVEXATTR4args: the name (without "user."). */
public record RemovexattrArgs(byte[] name) implements OpArgs {
    public RemovexattrArgs {
        name = name.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    public static RemovexattrArgs of(String name) {
        return new RemovexattrArgs(XattrKey.utf8(name));
    }

    public static RemovexattrArgs decode(XdrDecoder in) {
        return new RemovexattrArgs(XattrKey.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.REMOVEXATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(name);
    }
}

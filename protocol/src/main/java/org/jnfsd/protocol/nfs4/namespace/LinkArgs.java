package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LINK4args: the new name in the current directory for the saved file. */
public record LinkArgs(byte[] newName) implements OpArgs {
    public LinkArgs {
        newName = newName.clone();
    }

    @Override
    public byte[] newName() {
        return newName.clone();
    }

    public static LinkArgs of(String name) {
        return new LinkArgs(Component.utf8(name));
    }

    public static LinkArgs decode(XdrDecoder in) {
        return new LinkArgs(Component.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LINK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(newName);
    }
}

package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** REMOVE4args. */
public record RemoveArgs(byte[] target) implements OpArgs {
    public RemoveArgs {
        target = target.clone();
    }

    @Override
    public byte[] target() {
        return target.clone();
    }

    public static RemoveArgs of(String name) {
        return new RemoveArgs(Component.utf8(name));
    }

    public static RemoveArgs decode(XdrDecoder in) {
        return new RemoveArgs(Component.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.REMOVE;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(target);
    }
}

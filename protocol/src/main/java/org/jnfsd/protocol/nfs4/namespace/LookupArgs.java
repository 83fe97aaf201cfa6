package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LOOKUP4args: the raw bytes of the component name. */
public record LookupArgs(byte[] name) implements OpArgs {
    public LookupArgs {
        name = name.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    public static LookupArgs of(String name) {
        return new LookupArgs(Component.utf8(name));
    }

    public static LookupArgs decode(XdrDecoder in) {
        return new LookupArgs(Component.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOOKUP;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(name);
    }
}

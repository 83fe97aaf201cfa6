package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** SECINFO4args: a name in the current directory. */
public record SecinfoArgs(byte[] name) implements OpArgs {
    public SecinfoArgs {
        name = name.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    public static SecinfoArgs of(String name) {
        return new SecinfoArgs(Component.utf8(name));
    }

    public static SecinfoArgs decode(XdrDecoder in) {
        return new SecinfoArgs(Component.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SECINFO;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(name);
    }
}

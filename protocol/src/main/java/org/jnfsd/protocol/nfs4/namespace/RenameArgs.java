package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** RENAME4args: oldname in the saved directory, newname in the current one. */
public record RenameArgs(byte[] oldName, byte[] newName) implements OpArgs {
    public RenameArgs {
        oldName = oldName.clone();
        newName = newName.clone();
    }

    @Override
    public byte[] oldName() {
        return oldName.clone();
    }

    @Override
    public byte[] newName() {
        return newName.clone();
    }

    public static RenameArgs of(String oldName, String newName) {
        return new RenameArgs(Component.utf8(oldName), Component.utf8(newName));
    }

    public static RenameArgs decode(XdrDecoder in) {
        byte[] o = Component.decode(in);
        return new RenameArgs(o, Component.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.RENAME;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(oldName).writeOpaque(newName);
    }
}

package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * The arguments of an operation that has none: PUTROOTFH, PUTPUBFH, GETFH, SAVEFH, RESTOREFH,
 * LOOKUPP, READLINK.
 */
public record VoidArgs(Opcode opcode) implements OpArgs {
    public static final VoidArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    public static final VoidArgs PUTPUBFH = new VoidArgs(Opcode.PUTPUBFH);
    public static final VoidArgs GETFH = new VoidArgs(Opcode.GETFH);
    public static final VoidArgs SAVEFH = new VoidArgs(Opcode.SAVEFH);
    public static final VoidArgs RESTOREFH = new VoidArgs(Opcode.RESTOREFH);
    public static final VoidArgs LOOKUPP = new VoidArgs(Opcode.LOOKUPP);
    public static final VoidArgs READLINK = new VoidArgs(Opcode.READLINK);

    @Override
    public void encode(XdrEncoder out) {}
}

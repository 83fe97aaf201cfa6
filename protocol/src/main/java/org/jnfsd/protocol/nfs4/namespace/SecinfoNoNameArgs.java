package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** SECINFO_NO_NAME4args: secinfo_style4. */
public record SecinfoNoNameArgs(int style) implements OpArgs {
    public static final int CURRENT_FH = 0;
    public static final int PARENT = 1;

    public static SecinfoNoNameArgs decode(XdrDecoder in) {
        int style = in.readInt();
        if (style != CURRENT_FH && style != PARENT) {
            throw new XdrException("secinfo_style4 " + style);
        }
        return new SecinfoNoNameArgs(style);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SECINFO_NO_NAME;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(style);
    }
}

package org.jnfsd.protocol.nfs4.xattr;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** SETXATTR4args: option, name (without "user.") and value. */
public record SetxattrArgs(SetxattrOption option, byte[] name, byte[] value) implements OpArgs {
    public SetxattrArgs {
        name = name.clone();
        value = value.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public static SetxattrArgs of(SetxattrOption option, String name, byte[] value) {
        return new SetxattrArgs(option, XattrKey.utf8(name), value);
    }

    /** A value longer than 64 KiB is NFS4ERR_XATTR2BIG before its bytes are read. */
    public static SetxattrArgs decode(XdrDecoder in) {
        SetxattrOption option = SetxattrOption.fromCode(in.readInt());
        byte[] name = XattrKey.decode(in);
        int len = in.readInt();
        if (len < 0 || len > XattrKey.MAX_VALUE_BYTES) {
            throw new XdrException(NfsStatus.NFS4ERR_XATTR2BIG,
                    "xattr value of " + Integer.toUnsignedString(len) + " bytes, limit " + XattrKey.MAX_VALUE_BYTES);
        }
        return new SetxattrArgs(option, name, in.readFixedOpaque(len));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SETXATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(option.code()).writeOpaque(name).writeOpaque(value);
    }
}

package org.jnfsd.protocol.nfs4.callback;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_COMPOUND4args (RFC 8881 §20): tag, minor version, callback_ident (0 for 4.1), operations. */
public record CbCompoundArgs(byte[] tag, int minorVersion, int callbackIdent, List<CbArgs> operations) {
    public static final int MAX_TAG = 1024;
    public static final int MAX_OPS = 16;

    public CbCompoundArgs {
        tag = tag.clone();
        operations = List.copyOf(operations);
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    public static CbCompoundArgs decode(XdrDecoder in) {
        byte[] tag = in.readOpaque(MAX_TAG);
        int minor = in.readInt();
        int ident = in.readInt();
        int n = in.readArrayLength(MAX_OPS, 4);
        List<CbArgs> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(CbArgs.decode(in));
        }
        return new CbCompoundArgs(tag, minor, ident, ops);
    }

    public void encode(XdrEncoder out) {
        out.writeOpaque(tag).writeInt(minorVersion).writeInt(callbackIdent).writeInt(operations.size());
        for (CbArgs op : operations) {
            out.writeInt(op.opcode().code());
            op.encode(out);
        }
    }
}

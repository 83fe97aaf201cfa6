package org.jnfsd.protocol.nfs4;

import java.util.List;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** COMPOUND4args, as the client writes it. */
public record CompoundRequest(String tag, int minorVersion, List<OpArgs> ops) {
    public void encode(XdrEncoder out) {
        out.writeUtf8(tag).writeInt(minorVersion).writeInt(ops.size());
        for (OpArgs op : ops) {
            out.writeInt(op.opcode().code());
            op.encode(out);
        }
    }
}

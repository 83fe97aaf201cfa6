package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** BIND_CONN_TO_SESSION4args (RFC 8881 §18.34). */
public record BindConnToSessionArgs(SessionId sessionId, int dir, boolean useRdmaMode) implements OpArgs {
    /** channel_dir_from_client4. */
    public static final int CDFC4_FORE = 0x1;
    public static final int CDFC4_BACK = 0x2;
    public static final int CDFC4_FORE_OR_BOTH = 0x3;
    public static final int CDFC4_BACK_OR_BOTH = 0x7;

    @Override
    public Opcode opcode() {
        return Opcode.BIND_CONN_TO_SESSION;
    }

    public static BindConnToSessionArgs decode(XdrDecoder in) {
        return new BindConnToSessionArgs(SessionId.decode(in), in.readInt(), in.readBool());
    }

    @Override
    public void encode(XdrEncoder out) {
        sessionId.encode(out);
        out.writeInt(dir).writeBool(useRdmaMode);
    }
}

package org.jnfsd.protocol.nfs4.session;

import java.util.List;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CREATE_SESSION4args (RFC 8881 §18.36). */
public record CreateSessionArgs(long clientId, int sequence, int flags, ChannelAttrs foreChannel,
        ChannelAttrs backChannel, int cbProgram, List<CallbackSecParms> cbSecParms) implements OpArgs {
    public static final int FLAG_PERSIST = 0x1;
    public static final int FLAG_CONN_BACK_CHAN = 0x2;
    public static final int FLAG_CONN_RDMA = 0x4;

    public CreateSessionArgs {
        cbSecParms = List.copyOf(cbSecParms);
    }

    @Override
    public Opcode opcode() {
        return Opcode.CREATE_SESSION;
    }

    public static CreateSessionArgs decode(XdrDecoder in) {
        long clientId = in.readLong();
        int seq = in.readInt();
        int flags = in.readInt();
        ChannelAttrs fore = ChannelAttrs.decode(in);
        ChannelAttrs back = ChannelAttrs.decode(in);
        int program = in.readInt();
        return new CreateSessionArgs(clientId, seq, flags, fore, back, program, CallbackSecParms.decodeList(in));
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(clientId).writeInt(sequence).writeInt(flags);
        foreChannel.encode(out);
        backChannel.encode(out);
        out.writeInt(cbProgram);
        CallbackSecParms.encodeList(out, cbSecParms);
    }
}

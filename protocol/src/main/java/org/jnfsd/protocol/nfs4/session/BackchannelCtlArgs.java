package org.jnfsd.protocol.nfs4.session;

import java.util.List;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** BACKCHANNEL_CTL4args (RFC 8881 §18.33); the result is status only. */
public record BackchannelCtlArgs(int cbProgram, List<CallbackSecParms> secParms) implements OpArgs {
    public BackchannelCtlArgs {
        secParms = List.copyOf(secParms);
    }

    @Override
    public Opcode opcode() {
        return Opcode.BACKCHANNEL_CTL;
    }

    public static BackchannelCtlArgs decode(XdrDecoder in) {
        return new BackchannelCtlArgs(in.readInt(), CallbackSecParms.decodeList(in));
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(cbProgram);
        CallbackSecParms.encodeList(out, secParms);
    }
}

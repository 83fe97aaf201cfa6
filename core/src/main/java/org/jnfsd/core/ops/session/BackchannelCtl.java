package org.jnfsd.core.ops.session;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.BackchannelCtlArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** BACKCHANNEL_CTL (RFC 8881 §18.33): replaces the session's callback program and security. */
final class BackchannelCtl implements Operation<BackchannelCtlArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.BACKCHANNEL_CTL;
    }

    @Override
    public BackchannelCtlArgs decode(XdrDecoder in) {
        return BackchannelCtlArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, BackchannelCtlArgs args) throws NfsException {
        SessionRules.currentSession(ctx).setCallback(args.cbProgram(),
                SessionRules.usableCallbackSecurity(args.secParms()));
        return StatusResult.OK;
    }
}

package org.jnfsd.core.ops.v40;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.v40.OpenConfirmArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * OPEN_CONFIRM (RFC 7530 §16.18). This server never asks for it (OPEN does not set
 * OPEN4_RESULT_CONFIRM: the owner's seqid replay already protects against a retransmitted OPEN),
 * so a client that sends it anyway gets its open stateid back once the stateid, the current file
 * and the owner's seqid check out (the engine sequences it, {@link V40Sequencing}).
 */
final class OpenConfirm implements Operation<OpenConfirmArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.OPEN_CONFIRM;
    }

    @Override
    public OpenConfirmArgs decode(XdrDecoder in) {
        return OpenConfirmArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, OpenConfirmArgs args) throws NfsException {
        OpenShare open = ctx.server().opens().validate(ctx.clientId(), args.openStateId(), ctx.currentFh());
        ctx.setCurrentStateId(open.stateId());
        return new StateIdResult(open.stateId());
    }
}

package org.jnfsd.core.ops.v40;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.V40ClientIds;
import org.jnfsd.core.session.V40Identity;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.v40.SetClientIdConfirmArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * SETCLIENTID_CONFIRM (RFC 7530 §16.34): confirms a SETCLIENTID (a new record, or a callback
 * update of a confirmed one); the cases are in {@link V40ClientIds}. A rebooted client's old
 * record, replaced here, is torn down through the one teardown path. A confirmed callback (new
 * record or update) becomes the client's callback path: the server dials it and probes it with
 * CB_NULL ({@code CallbackService.v40CallbackConfirmed}); the reply never waits for that.
 */
final class SetClientIdConfirm implements Operation<SetClientIdConfirmArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SETCLIENTID_CONFIRM;
    }

    @Override
    public SetClientIdConfirmArgs decode(XdrDecoder in) {
        return SetClientIdConfirmArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SetClientIdConfirmArgs args) throws NfsException {
        V40ClientIds.ConfirmOutcome outcome = ctx.server().sessions().confirmClientId(args.clientId(), args.confirm(),
                Principal.of(ctx.credential()));
        for (ClientRecord c : outcome.tearDown()) {
            ctx.server().teardown().tearDown(c);
        }
        V40Identity id = outcome.client().v40();
        if (outcome.callbackChanged() && id != null) {
            // the callback path to use from now on: dialled and probed off this request's thread
            ctx.server().callbacks().v40CallbackConfirmed(outcome.client(), id.callback(), id.callbackIdent(),
                    ctx.clientAddress().getAddress());
        }
        return StatusResult.OK;
    }
}

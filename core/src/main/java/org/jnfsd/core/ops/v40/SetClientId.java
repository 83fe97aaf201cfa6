package org.jnfsd.core.ops.v40;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.ClientInfo;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.V40ClientIds;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.v40.NetAddr;
import org.jnfsd.protocol.nfs4.v40.SetClientIdArgs;
import org.jnfsd.protocol.nfs4.v40.SetClientIdResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * SETCLIENTID (RFC 7530 §16.33): makes or updates an NFSv4.0 client record; the cases are in
 * {@link V40ClientIds}. NFS4ERR_CLID_INUSE carries a clientaddr4, which this server leaves empty
 * (it names a principal's address it does not keep; clients only log it).
 */
final class SetClientId implements Operation<SetClientIdArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SETCLIENTID;
    }

    @Override
    public SetClientIdArgs decode(XdrDecoder in) {
        return SetClientIdArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SetClientIdArgs args) throws NfsException {
        V40ClientIds.SetOutcome outcome = ctx.server().sessions().setClientId(args.id(), args.verifier(),
                Principal.of(ctx.credential()), args.callback(), args.callbackIdent());
        for (ClientRecord c : outcome.tearDown()) {
            ctx.server().teardown().tearDown(c);
        }
        if (outcome.client().info() == ClientInfo.UNKNOWN) {
            java.net.InetSocketAddress peer = ctx.clientAddress();
            outcome.client().describe(new ClientInfo(peer.getAddress().getHostAddress() + ":" + peer.getPort(), 0,
                    ClientInfo.printable(args.id()), ""));
        }
        return new SetClientIdResult(outcome.client().id().value(), outcome.confirm());
    }

    @Override
    public OpResult failure(NfsStatus status, SetClientIdArgs args) {
        return status == NfsStatus.NFS4ERR_CLID_INUSE ? new SetClientIdResult.InUse(new NetAddr("tcp", ""))
                : StatusResult.of(status);
    }
}

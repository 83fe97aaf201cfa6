package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.VerifyArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** NVERIFY (RFC 8881 §18.15): NFS4ERR_SAME when the attributes equal the server's own. */
final class Nverify implements Operation<VerifyArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.NVERIFY;
    }

    @Override
    public VerifyArgs decode(XdrDecoder in) {
        return VerifyArgs.decodeNverify(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, VerifyArgs args) throws NfsException {
        if (Verify.same(ctx, args)) {
            throw new NfsException(NfsStatus.NFS4ERR_SAME, "attributes are the same");
        }
        return StatusResult.OK;
    }
}

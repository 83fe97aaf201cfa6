package org.jnfsd.core.ops.lock;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.lock.ReleaseLockownerArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * RELEASE_LOCKOWNER (RFC 7530 §16.37): NFSv4.0 only; "MUST NOT be implemented" in 4.1 (RFC 8881
 * §18.45 lists it as MNI), so minor versions 1 and above get NFS4ERR_NOTSUPP. NFSv4.0 state is
 * not served yet, so 4.0 gets the same answer until the 4.0 work lands.
 */
final class ReleaseLockowner implements Operation<ReleaseLockownerArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.RELEASE_LOCKOWNER;
    }

    @Override
    public ReleaseLockownerArgs decode(XdrDecoder in) {
        return ReleaseLockownerArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ReleaseLockownerArgs args) throws NfsException {
        throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP, "RELEASE_LOCKOWNER in minor version " + ctx.minorVersion());
    }
}

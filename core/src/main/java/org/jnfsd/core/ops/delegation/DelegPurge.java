package org.jnfsd.core.ops.delegation;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.delegation.DelegpurgeArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * DELEGPURGE (RFC 7530 §16.8, RFC 8881 §18.5): NFS4ERR_NOTSUPP. The operation exists for servers
 * that let a rebooted client reclaim the delegations it kept in stable storage with
 * CLAIM_DELEGATE_PREV; this server does not (OPEN answers that claim NFS4ERR_NOTSUPP too), so
 * there is never anything to purge, and the RFC says such a server answers NFS4ERR_NOTSUPP. knfsd
 * does the same. The clientid is still checked first (the 4.0 binding: NFS4ERR_STALE_CLIENTID
 * for one this server does not know), and its lease renewed.
 */
final class DelegPurge implements Operation<DelegpurgeArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.DELEGPURGE;
    }

    @Override
    public DelegpurgeArgs decode(XdrDecoder in) {
        return DelegpurgeArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, DelegpurgeArgs args) throws NfsException {
        throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP,
                "DELEGPURGE: delegations are not kept across client reboots (no CLAIM_DELEGATE_PREV)");
    }
}

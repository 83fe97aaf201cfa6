package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.rpc.PeerLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * PUTFH (RFC 8881 §18.19). The handle's MAC is checked first ({@link org.jnfsd.core.fs.HandleKey}):
 * a forged, altered or malformed handle is NFS4ERR_BADHANDLE (counted, logged rate-limited) before
 * any lookup, an unsealed one from before sealing NFS4ERR_STALE; an unknown
 * export NFS4ERR_STALE here; a handle whose object is gone is found STALE by the operation that
 * first uses it, as knfsd does, which saves a backend call per COMPOUND.
 */
final class PutFh implements Operation<PutFhArgs> {
    private static final Logger log = LoggerFactory.getLogger(PutFh.class);

    @Override
    public Opcode opcode() {
        return Opcode.PUTFH;
    }

    @Override
    public PutFhArgs decode(XdrDecoder in) {
        return PutFhArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, PutFhArgs args) throws NfsException {
        FileHandle fh;
        try {
            fh = ctx.server().config().handleKey().open(args.fh());
        } catch (NfsException e) {
            if (e.status() == NfsStatus.NFS4ERR_BADHANDLE) {
                ctx.server().counters().increment(ServerEvent.HANDLE_REFUSED);
                PeerLog.warn(log, "bad-handle", "PUTFH refused: {}", e.getMessage());
            }
            throw e;
        }
        ctx.accessTo(ctx.server().exports().get(fh.exportId()));
        ctx.setCurrentFh(fh);
        return StatusResult.OK;
    }
}

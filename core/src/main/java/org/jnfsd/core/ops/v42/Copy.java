package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.nfs4.v42.CopyArgs;
import org.jnfsd.protocol.nfs4.v42.CopyResult;
import org.jnfsd.protocol.nfs4.v42.WriteResponse;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VirtualFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COPY (RFC 7862 §15.2), intra-server: saved FH is the source, current FH the destination, on one
 * export (NFS4ERR_XDEV otherwise); a non-empty ca_source_server list asks for an inter-server copy,
 * which jnfsd does not do (NFS4ERR_NOTSUPP, as knfsd without inter-server copy). A count of 0 means
 * "to the source's end of file"; an offset or range past the source's end, and overlapping ranges
 * in one file, are NFS4ERR_INVAL.
 *
 * <p>Every copy is synchronous and consecutive today, which meets any ca_consecutive and
 * ca_synchronous a client asks for, so NFS4ERR_OFFLOAD_NO_REQS never arises: the reply has no
 * callback id and cr_synchronous true. {@link CopyEngine#runsAsync} is where async COPY plugs in.
 * The bytes are copied in bounded chunks; a failure after some were copied is answered as a
 * partial copy with the count copied. The data is unstable (the client COMMITs), with the server's
 * write verifier.
 */
final class Copy implements Operation<CopyArgs> {
    private static final Logger log = LoggerFactory.getLogger(Copy.class);

    @Override
    public Opcode opcode() {
        return Opcode.COPY;
    }

    @Override
    public CopyArgs decode(XdrDecoder in) {
        return CopyArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, CopyArgs args) throws NfsException {
        if (!args.sourceServers().isEmpty()) {
            throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP, "inter-server COPY from " + args.sourceServers());
        }
        DataChecks.Pair p = DataChecks.pair(ctx, args.srcStateId(), args.dstStateId(), "COPY");
        VirtualFileSystem fs = p.export().fs();
        long srcSize = p.srcStat().size();
        long srcOff = args.srcOffset();
        long dstOff = args.dstOffset();
        if (srcOff < 0 || dstOff < 0 || srcOff > srcSize) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "COPY offset past the source's end");
        }
        long count = args.count() == 0 ? srcSize - srcOff : args.count();
        if (count < 0 || srcOff + count > srcSize) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "COPY range past the source's end");
        }
        if (dstOff + count < 0 || dstOff + count > fs.maxFileSize()) {
            throw new NfsException(NfsStatus.NFS4ERR_FBIG, "COPY past the largest file");
        }
        if (p.sameFile() && DataChecks.overlap(srcOff, dstOff, count)) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "COPY of overlapping ranges in one file");
        }
        CopyEngine engine = ctx.server().copyEngine();
        if (engine.runsAsync(count, args.synchronous())) {
            throw new IllegalStateException("async COPY is not built yet");
        }
        CopyEngine.Outcome outcome = engine.copy(fs, p.src().inode(), srcOff, p.dst().inode(), dstOff, count, null);
        if (outcome.failure() != null) {
            if (outcome.copied() == 0) {
                throw NfsException.of(outcome.failure());
            }
            log.warn("COPY stopped after {} of {} bytes, answered as a partial copy", outcome.copied(), count,
                    outcome.failure());
        }
        ctx.server().counters().increment(ServerEvent.COPY_SYNC);
        log.debug("COPY of {} bytes at {} to {}: {} copied synchronously", count, srcOff, dstOff, outcome.copied());
        WriteResponse response = new WriteResponse(null, outcome.copied(), StableHow.UNSTABLE4,
                new Verifier(ctx.server().writeVerifier()));
        return CopyResult.ok(response, true, true);
    }
}

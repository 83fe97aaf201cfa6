package org.jnfsd.core.ops.v42;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.copy.AsyncCopy;
import org.jnfsd.core.copy.CopyEngine;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.ops.io.IoChecks;
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
 * <p>Above {@link org.jnfsd.core.ServerConfig#asyncCopyThreshold} bytes, when the client did not ask
 * ca_synchronous and its callback channel is UP, the copy runs asynchronously ({@link
 * org.jnfsd.core.copy.Copies#start}): the reply carries the copy's stateid as wr_callback_id, a
 * count of 0 and cr_synchronous false, and a CB_OFFLOAD reports the result. Beyond the async copy
 * limits, NFS4ERR_DELAY (as knfsd). Otherwise the copy runs synchronously on the request's thread.
 * Either way the bytes are copied in order, in bounded chunks, so any ca_consecutive is met
 * (cr_consecutive true; RFC 7862 §15.2.3) and NFS4ERR_OFFLOAD_NO_REQS never arises. A failure
 * after some bytes were copied is answered as a partial copy with the count copied. The data is
 * unstable (the client COMMITs), with the server's write verifier. A COPY by anyone but root
 * clears the destination's set-id bits first, as a WRITE does.
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
        // copy_file_range(2) clears the destination's set-id bits before it copies (file_modified
        // in Linux's vfs_copy_file_range), for any writer but root, as WRITE does
        IoChecks.clearSetIdsAfterWrite(fs, p.dst(), p.dstStat(), ctx);
        byte[] verifier = ctx.server().writeVerifier();
        if (runsAsync(ctx, args, count)) {
            AsyncCopy copy = ctx.server().copies().start(ctx.clientId(), new AsyncCopy.Request(fs, p.src().inode(),
                    srcOff, p.dst().inode(), dstOff, count, p.dst().toBytes(), verifier));
            log.debug("COPY of {} bytes at {} to {}: asynchronous, {}", count, srcOff, dstOff, copy.stateId().key());
            return CopyResult.ok(new WriteResponse(copy.stateId(), 0, StableHow.UNSTABLE4, new Verifier(verifier)),
                    true, false);
        }
        CopyEngine engine = ctx.server().copyEngine();
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
        WriteResponse response = new WriteResponse(null, outcome.copied(), StableHow.UNSTABLE4, new Verifier(verifier));
        return CopyResult.ok(response, true, true);
    }

    /**
     * Asynchronous when the client allows it (ca_synchronous false), the range is above the
     * configured threshold, and the client's callback channel is UP (a CB_OFFLOAD can reach it);
     * otherwise synchronous, which meets any ca_synchronous.
     */
    private static boolean runsAsync(CompoundContext ctx, CopyArgs args, long count) {
        if (args.synchronous() || count <= ctx.server().config().asyncCopyThreshold()) {
            return false;
        }
        CallbackChannel ch = ctx.server().callbacks().channel(new ClientId(ctx.clientId()));
        return ch != null && ch.state() == CallbackChannel.State.UP;
    }
}

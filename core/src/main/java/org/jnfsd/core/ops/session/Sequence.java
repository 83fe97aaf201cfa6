package org.jnfsd.core.ops.session;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CachedReply;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.compound.UncachedRetry;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.session.SlotOutcome;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * SEQUENCE (RFC 8881 §18.46, §2.10.6): exactly-once semantics through the session's slot table. A
 * new request acquires the slot (released by the engine through {@link
 * org.jnfsd.core.compound.SequenceSlot#complete}); a retry of the last request gets the cached
 * COMPOUND reply, or NFS4ERR_RETRY_UNCACHED_REP on the next operation when it was not cached.
 * Renews the lease (a COURTESY client becomes ACTIVE again), counts the COMPOUND in flight for its
 * client until the engine completes the slot ({@link InFlightSlot}), and binds the connection to the session when it is not yet bound (SP4_NONE,
 * as knfsd does for 4.1).
 */
final class Sequence implements Operation<SequenceArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SEQUENCE;
    }

    @Override
    public SequenceArgs decode(XdrDecoder in) {
        return SequenceArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SequenceArgs args) throws NfsException {
        SessionManager sessions = ctx.server().sessions();
        Session session = sessions.session(args.sessionId());
        ChannelAttrs fore = session.foreChannel();
        if (ctx.numOps() > fore.maxOperations()) {
            throw new NfsException(NfsStatus.NFS4ERR_TOO_MANY_OPS,
                    ctx.numOps() + " operations, session allows " + fore.maxOperations());
        }
        if (ctx.requestSize() > fore.maxRequestSize()) {
            throw new NfsException(NfsStatus.NFS4ERR_REQ_TOO_BIG,
                    ctx.requestSize() + " bytes, session allows " + fore.maxRequestSize());
        }
        SlotOutcome outcome = session.acquire(args.slotId(), args.sequenceId(), args.cacheThis(), ctx.numOps() == 1);
        ClientRecord client = session.client();
        int flags = client.sequenceStatusFlags();
        if (ctx.server().opens().hasRevoked(client.id().value())) {
            flags |= SequenceResult.STATUS_ADMIN_STATE_REVOKED;
        }
        if (ctx.server().delegations().hasRevoked(client.id().value())) {
            flags |= SequenceResult.STATUS_RECALLABLE_STATE_REVOKED;
        }
        // sr_target_highest_slotid: half the slots while the reply cache budget is short (RFC 8881
        // §18.46.3: the client should then use fewer slots)
        int highest = session.highestSlotId();
        int target = sessions.replyCache().isShort() ? (highest + 1) / 2 - 1 : highest;
        SequenceResult result = new SequenceResult(session.id(), args.sequenceId(), args.slotId(),
                highest, Math.max(0, target), flags);
        // counted in here, counted out by InFlightSlot.complete: nothing may throw in between
        // before the slot is handed to the engine below
        boolean counted = outcome instanceof SlotOutcome.Acquired && sessions.beginCompound(client);
        if (!(outcome instanceof SlotOutcome.Acquired)) {
            sessions.renew(client);
        }
        return switch (outcome) {
            case SlotOutcome.Replay replay -> new CachedReply(replay.compoundReply());
            case SlotOutcome.UncachedReplay u -> {
                if (ctx.numOps() == 1) {
                    // solo SEQUENCE replies are always cached: the original was not this request
                    throw new NfsException(NfsStatus.NFS4ERR_RETRY_UNCACHED_REP, "retry differs from the original");
                }
                yield new UncachedRetry(result);
            }
            case SlotOutcome.Acquired acquired -> {
                if (!counted) {
                    // expired between the session lookup and here: the engine still completes the slot
                    ctx.setSequence(acquired.slot(), client.id().value(), session);
                    throw new NfsException(NfsStatus.NFS4ERR_BADSESSION, client + " is expiring");
                }
                ctx.setSequence(new InFlightSlot(acquired.slot(), client, ctx.server()), client.id().value(), session);
                session.bindIfUnbound(ctx.connection());
                yield result;
            }
        };
    }
}

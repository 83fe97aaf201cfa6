package org.jnfsd.core.ops.session;

import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * CREATE_SESSION (RFC 8881 §18.36). Has its own one-slot reply cache per client record, keyed by
 * csa_sequence: the last sequence again gets the cached reply, the next one is a new request,
 * anything else NFS4ERR_SEQ_MISORDERED. Confirms an unconfirmed record, negotiates the fore
 * channel as the minimum of the client's wishes and {@link ServerConfig}, and records the
 * backchannel, which must at least carry a CB_RECALL ({@link BackChannelMinimum}: NFS4ERR_TOOSMALL
 * otherwise, as knfsd). Never grants PERSIST or RDMA; grants CONN_BACK_CHAN when asked, binding the
 * connection for both directions.
 */
final class CreateSession implements Operation<CreateSessionArgs> {
    /** Smallest fore-channel request: a COMPOUND header with an empty tag and a SEQUENCE. */
    static final int MIN_REQUEST_SIZE = 48;
    /** Smallest fore-channel reply: a COMPOUND reply header with an empty tag and a SEQUENCE result. */
    static final int MIN_RESPONSE_SIZE = 56;
    private static final int KNOWN_FLAGS = CreateSessionArgs.FLAG_PERSIST | CreateSessionArgs.FLAG_CONN_BACK_CHAN
            | CreateSessionArgs.FLAG_CONN_RDMA;

    @Override
    public Opcode opcode() {
        return Opcode.CREATE_SESSION;
    }

    @Override
    public CreateSessionArgs decode(XdrDecoder in) {
        return CreateSessionArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, CreateSessionArgs args) throws NfsException {
        SessionRules.requireAloneWithoutSequence(ctx, opcode());
        SessionManager sessions = ctx.server().sessions();
        ClientRecord client = sessions.client(args.clientId());
        Principal principal = Principal.of(ctx.credential());
        if (client.state() == ClientRecord.State.UNCONFIRMED && !client.principal().equals(principal)) {
            // checked before the replay cache, so that another principal cannot poison it
            throw new NfsException(NfsStatus.NFS4ERR_CLID_INUSE, client + " was created by " + client.principal());
        }
        synchronized (client.createSessionLock()) {
            int last = client.lastCreateSessionSeqLocked();
            if (args.sequence() == last && client.lastCreateSessionReplyLocked() != null) {
                return client.lastCreateSessionReplyLocked();
            }
            if (args.sequence() != last + 1) {
                throw new NfsException(NfsStatus.NFS4ERR_SEQ_MISORDERED, "csa_sequence "
                        + Integer.toUnsignedString(args.sequence()) + ", expected " + Integer.toUnsignedString(last + 1));
            }
            OpResult result;
            try {
                result = create(ctx, sessions, client, principal, args);
            } catch (NfsException e) {
                client.recordCreateSessionLocked(args.sequence(), StatusResult.of(e.status()));
                throw e;
            }
            client.recordCreateSessionLocked(args.sequence(), result);
            return result;
        }
    }

    private static CreateSessionResult create(CompoundContext ctx, SessionManager sessions, ClientRecord client,
            Principal principal, CreateSessionArgs args) throws NfsException {
        if ((args.flags() & ~KNOWN_FLAGS) != 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "flags " + Integer.toHexString(args.flags()));
        }
        // RFC 8881 §18.36.4: the channel attributes are checked (NFS4ERR_TOOSMALL) before the
        // callback security, so a client offering only RPCSEC_GSS learns first that its sizes are wrong
        ChannelAttrs fore = negotiateFore(args.foreChannel(), ctx.server().config());
        BackChannelMinimum.check(args.backChannel(), args.cbSecParms());
        List<CallbackSecParms> cbSec = SessionRules.usableCallbackSecurity(args.cbSecParms());
        ChannelAttrs want = args.backChannel();
        ChannelAttrs back = new ChannelAttrs(0, want.maxRequestSize(), want.maxResponseSize(),
                want.maxResponseSizeCached(), want.maxOperations(), Math.max(1, want.maxRequests()), null);
        boolean backChan = (args.flags() & CreateSessionArgs.FLAG_CONN_BACK_CHAN) != 0;
        int flags = backChan ? CreateSessionArgs.FLAG_CONN_BACK_CHAN : 0;
        SessionManager.CreateOutcome outcome = sessions.createSession(client, principal, fore, back, flags,
                args.cbProgram(), cbSec, ctx.connection(),
                backChan ? ChannelDirection.BOTH : ChannelDirection.FORE);
        SessionRules.releaseClients(ctx, outcome.released());
        if (backChan && ctx.connection() != null) {
            // probe the new backchannel (CB_NULL, queued: never waits here); no connection: engine unit tests
            ctx.server().callbacks().backChannelBound(outcome.session(), ctx.connection(), ctx.minorVersion());
            // recalls the client could not hear before go again over the new back channel (§20.7),
            // once its probe is answered (sent before, they would meet a channel still DOWN)
            SessionRules.resendRecallsWhenUp(ctx, client.id().value());
        }
        // the fore channel as granted: the reply cache budget may have negotiated it down
        return new CreateSessionResult(outcome.session().id(), args.sequence(), flags, outcome.session().foreChannel(),
                back);
    }

    static ChannelAttrs negotiateFore(ChannelAttrs want, ServerConfig config) throws NfsException {
        if (want.maxRequestSize() < MIN_REQUEST_SIZE || want.maxResponseSize() < MIN_RESPONSE_SIZE
                || want.maxOperations() < 1) {
            throw new NfsException(NfsStatus.NFS4ERR_TOOSMALL, "fore channel " + want);
        }
        int response = Math.min(want.maxResponseSize(), config.maxResponseSize());
        return new ChannelAttrs(0,
                Math.min(want.maxRequestSize(), config.maxRequestSize()),
                response,
                Math.min(Math.min(want.maxResponseSizeCached(), config.maxResponseSizeCached()), response),
                Math.min(want.maxOperations(), config.maxSessionOperations()),
                Math.max(1, Math.min(want.maxRequests(), config.maxSlots())),
                null);
    }
}

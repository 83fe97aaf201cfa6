package org.jnfsd.core.ops.session;

import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.session.ClientInfo;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.ExchangeIdArgs;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.ImplId;
import org.jnfsd.protocol.nfs4.session.StateProtectArgs;
import org.jnfsd.protocol.nfs4.session.StateProtectResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.rpc.PeerLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EXCHANGE_ID (RFC 8881 §18.35): creates or finds the client record. Only SP4_NONE state
 * protection is offered: SP4_MACH_CRED needs RPCSEC_GSS (refused with NFS4ERR_INVAL under
 * AUTH_SYS/AUTH_NONE, as knfsd does); SP4_SSV is not implemented and is refused as
 * {@link #refuseSsv} says.
 */
final class ExchangeId implements Operation<ExchangeIdArgs> {
    private static final Logger log = LoggerFactory.getLogger(ExchangeId.class);
    static final List<ImplId> IMPL_ID = List.of(new ImplId("jnfsd.org", "jnfsd", new NfsTime(0, 0)));

    @Override
    public Opcode opcode() {
        return Opcode.EXCHANGE_ID;
    }

    @Override
    public ExchangeIdArgs decode(XdrDecoder in) {
        return ExchangeIdArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ExchangeIdArgs args) throws NfsException {
        SessionRules.requireAloneWithoutSequence(ctx, opcode());
        if ((args.flags() & ~ExchangeIdArgs.FLAG_MASK_A) != 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "flags " + Integer.toHexString(args.flags()));
        }
        switch (args.stateProtect()) {
            case StateProtectArgs.None none -> { }
            case StateProtectArgs.MachCred mc ->
                throw new NfsException(NfsStatus.NFS4ERR_INVAL, "SP4_MACH_CRED needs RPCSEC_GSS");
            case StateProtectArgs.Ssv ssv -> refuseSsv(ssv);
        }
        SessionManager sessions = ctx.server().sessions();
        boolean update = (args.flags() & ExchangeIdArgs.FLAG_UPD_CONFIRMED_REC_A) != 0;
        ClientInfo info = info(ctx, args);
        SessionManager.ExchangeOutcome outcome;
        try {
            outcome = sessions.exchangeId(args.ownerId(), args.verifier(), Principal.of(ctx.credential()), update);
        } catch (NfsException e) {
            PeerLog.info(log, "exchange-id-refused-" + e.status(), "client {}: EXCHANGE_ID refused: {} ({})", info,
                    e.status(), e.getMessage());
            throw e;
        }
        if (!outcome.confirmed()) {
            outcome.client().describe(info);
            log.info("client {} {}: created", outcome.client().id().hex(), info);
        }
        SessionRules.releaseClients(ctx, outcome.released());
        int flags = ExchangeIdArgs.FLAG_USE_NON_PNFS | (outcome.confirmed() ? ExchangeIdArgs.FLAG_CONFIRMED_R : 0);
        return new ExchangeIdResult(outcome.client().id().value(), outcome.client().lastCreateSessionSeq() + 1, flags,
                StateProtectResult.None.INSTANCE, sessions.serverOwner(), sessions.serverScope(), IMPL_ID);
    }

    /**
     * SP4_SSV (RFC 8881 §18.35.3), which this server does not implement, answered as the RFC allows:
     * malformed parameters (empty ssp_hash_algs or ssp_encr_algs, ssp_window zero) are
     * NFS4ERR_INVAL ("the server MUST return NFS4ERR_INVAL"); a well-formed request sent without
     * RPCSEC_GSS integrity or privacy breaks the RFC's MUST on the client and is NFS4ERR_INVAL too,
     * as knfsd answers SP4_MACH_CRED without GSS. This server accepts no RPCSEC_GSS, so no request
     * gets further; were it to, the answer would be NFS4ERR_HASH_ALG_UNSUPP (it supports none of the
     * offered hash algorithms, the first list the RFC checks).
     */
    private static void refuseSsv(StateProtectArgs.Ssv ssv) throws NfsException {
        if (ssv.hashAlgs().isEmpty() || ssv.encrAlgs().isEmpty() || ssv.window() == 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "SP4_SSV with " + ssv.hashAlgs().size()
                    + " hash and " + ssv.encrAlgs().size() + " encryption algorithms, window " + ssv.window());
        }
        throw new NfsException(NfsStatus.NFS4ERR_INVAL, "SP4_SSV needs RPCSEC_GSS integrity or privacy");
    }

    private static ClientInfo info(CompoundContext ctx, ExchangeIdArgs args) {
        java.net.InetSocketAddress peer = ctx.connection() == null ? null : ctx.connection().remoteAddress();
        String impl = args.implId().isEmpty() ? ""
                : args.implId().getFirst().name() + " (" + args.implId().getFirst().domain() + ")";
        return new ClientInfo(peer == null ? "?" : peer.getAddress().getHostAddress() + ":" + peer.getPort(),
                ctx.minorVersion(), ClientInfo.printable(args.ownerId()), impl);
    }
}

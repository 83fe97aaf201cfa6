package org.jnfsd.core.ops.session;

import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks and hooks shared by this area's operations. */
final class SessionRules {
    private static final Logger log = LoggerFactory.getLogger(SessionRules.class);

    private SessionRules() {}

    /**
     * EXCHANGE_ID, CREATE_SESSION, DESTROY_SESSION and DESTROY_CLIENTID sent without SEQUENCE must be
     * alone in their COMPOUND (RFC 8881 §18.35.3, §18.36.3, §18.37.3, §18.50.3).
     */
    static void requireAloneWithoutSequence(CompoundContext ctx, Opcode op) throws NfsException {
        if (ctx.slot() == null && ctx.numOps() != 1) {
            throw new NfsException(NfsStatus.NFS4ERR_NOT_ONLY_OP, op + " without SEQUENCE must be alone");
        }
    }

    /** The session SEQUENCE found; operations that need one are only reached after SEQUENCE. */
    static Session currentSession(CompoundContext ctx) throws NfsException {
        if (!(ctx.session() instanceof Session s)) {
            throw new NfsException(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION, "no SEQUENCE in this COMPOUND");
        }
        return s;
    }

    /**
     * The callback security the server will use: AUTH_NONE or AUTH_SYS only, a list offering
     * neither is refused as knfsd does (NFS4ERR_ENCR_ALG_UNSUPP). An empty list offers no callback
     * security at all, which knfsd takes to mean AUTH_NONE (RFC 8881 §18.36.3 does not forbid it):
     * it is returned as that one flavor, so the callback path never sees an empty list.
     */
    static List<CallbackSecParms> usableCallbackSecurity(List<CallbackSecParms> sec) throws NfsException {
        if (sec.isEmpty()) {
            return List.of(CallbackSecParms.None.INSTANCE);
        }
        for (CallbackSecParms p : sec) {
            if (p.flavor() == CallbackSecParms.AUTH_NONE || p.flavor() == CallbackSecParms.AUTH_SYS) {
                return sec;
            }
        }
        throw new NfsException(NfsStatus.NFS4ERR_ENCR_ALG_UNSUPP, "no AUTH_NONE or AUTH_SYS callback security");
    }

    /** Tears down the state of destroyed client records, through the one teardown path. */
    static void releaseClients(CompoundContext ctx, List<ClientRecord> destroyed) {
        for (ClientRecord c : destroyed) {
            log.debug("releasing the state of {}", c);
            ctx.server().teardown().tearDown(c);
        }
    }
}

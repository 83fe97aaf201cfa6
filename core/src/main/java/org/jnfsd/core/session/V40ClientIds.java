package org.jnfsd.core.session;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NFSv4.0 client-record rules, on the {@link SessionManager}'s tables and under its lock (every
 * method is called with it held): SETCLIENTID (RFC 7530 §16.33.5) and SETCLIENTID_CONFIRM
 * (§16.34.5). A 4.0 record is an ordinary {@link ClientRecord} with a {@link V40Identity}, so
 * leases, courtesy, expiry and teardown are those of 4.1.
 *
 * <p>SETCLIENTID, for the client id string x, verifier v and principal p:
 * <ul>
 *   <li>a confirmed record of x with another principal: NFS4ERR_CLID_INUSE, unless its lease lapsed
 *       (COURTESY), when it is expired and x is treated as new. A 4.1 record of x likewise;
 *   <li>a confirmed record of x, same v and p: a callback update; the record keeps its clientid and
 *       state, the new callback waits as "pending" for SETCLIENTID_CONFIRM with the new verifier;
 *   <li>a confirmed record of x with another v: the client rebooted; a new unconfirmed record (new
 *       clientid); the old one lives until that is confirmed;
 *   <li>otherwise a new unconfirmed record; an older unconfirmed record of x is dropped.
 * </ul>
 *
 * <p>SETCLIENTID_CONFIRM (clientid c, verifier k): a record of c with another principal:
 * NFS4ERR_CLID_INUSE; a confirmed record of c whose pending update has k: the callback is updated;
 * whose own verifier is k: a retransmission, OK; an unconfirmed record of c with k: confirmed, and a
 * confirmed record of the same x (the rebooted client's old one) expires; anything else
 * NFS4ERR_STALE_CLIENTID.
 */
public final class V40ClientIds {
    private static final Logger log = LoggerFactory.getLogger(V40ClientIds.class);

    private V40ClientIds() {}

    /** SETCLIENTID's answer, and records the caller must tear down now. */
    public record SetOutcome(ClientRecord client, byte[] confirm, List<ClientRecord> tearDown) {}

    /** SETCLIENTID_CONFIRM's answer: the confirmed record, and records the caller must tear down now. */
    public record ConfirmOutcome(ClientRecord client, boolean callbackChanged, List<ClientRecord> tearDown) {}

    // Called only under m's lock (SessionManager.setClientId / confirmClientId). Error Prone cannot
    // check it here: it fails to bind a method's @GuardedBy("m.lock") naming another class's
    // private lock at the call site, so the *Locked calls below are trusted.
    @SuppressWarnings("GuardedBy")
    static SetOutcome setClientId(SessionManager m, OwnerKey key, byte[] verifier, Principal principal,
            CallbackClient callback, int ident) throws NfsException {
        List<ClientRecord> tearDown = new ArrayList<>();
        ClientRecord conf = m.confirmedLocked(key);
        if (conf != null && (!conf.principal().equals(principal) || conf.v40Locked() == null)) {
            if (conf.stateLocked() != ClientRecord.State.COURTESY) {
                throw new NfsException(NfsStatus.NFS4ERR_CLID_INUSE, conf + " is in use by " + conf.principal()
                        + (conf.v40Locked() == null ? " over NFSv4.1" : "") + ", not " + principal);
            }
            log.info("client {} {}: expired, its id is taken by SETCLIENTID of {}", conf.id().hex(), conf.info(),
                    principal);
            if (m.expireLocked(conf)) {
                tearDown.add(conf);
            }
            conf = null;
        }
        ClientRecord unconf = m.unconfirmedLocked(key);
        if (unconf != null) {
            m.destroyLocked(unconf); // never confirmed: it holds no state
        }
        byte[] confirm = m.newConfirmVerifierLocked();
        V40Identity identity = new V40Identity(confirm, callback, ident);
        if (conf != null && conf.verifierMatches(verifier)) {
            conf.setV40PendingLocked(identity);
            log.debug("{}: callback update pending confirmation", conf);
            return new SetOutcome(conf, confirm, List.copyOf(tearDown));
        }
        ClientRecord fresh = m.newUnconfirmedLocked(key, verifier, principal, tearDown);
        fresh.setV40Locked(identity);
        log.debug("new 4.0 client record {} for {}{}", fresh, principal, conf != null ? " (client rebooted)" : "");
        return new SetOutcome(fresh, confirm, List.copyOf(tearDown));
    }

    // Called only under m's lock (SessionManager.setClientId / confirmClientId). Error Prone cannot
    // check it here: it fails to bind a method's @GuardedBy("m.lock") naming another class's
    // private lock at the call site, so the *Locked calls below are trusted.
    @SuppressWarnings("GuardedBy")
    static ConfirmOutcome confirm(SessionManager m, long clientId, byte[] confirm, Principal principal)
            throws NfsException {
        ClientRecord c = m.byIdLocked(clientId);
        if (c == null || c.v40Locked() == null) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, new ClientId(clientId)
                    + (c == null ? " is unknown" : " is not an NFSv4.0 client"));
        }
        if (!c.principal().equals(principal)) {
            throw new NfsException(NfsStatus.NFS4ERR_CLID_INUSE, c + " belongs to " + c.principal() + ", not " + principal);
        }
        if (c.stateLocked() != ClientRecord.State.UNCONFIRMED) {
            V40Identity pending = c.v40PendingLocked();
            if (pending != null && pending.confirms(confirm)) {
                c.setV40Locked(pending);
                c.setV40PendingLocked(null);
                m.renew(c);
                log.info("client {} {}: callback updated to {}", c.id().hex(), c.info(), pending.callback().location());
                return new ConfirmOutcome(c, true, List.of());
            }
            if (c.v40Locked().confirms(confirm)) {
                m.renew(c); // a retransmission of the SETCLIENTID_CONFIRM that confirmed it
                return new ConfirmOutcome(c, false, List.of());
            }
            throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, c + ": no SETCLIENTID with that verifier");
        }
        if (!c.v40Locked().confirms(confirm)) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, c + ": not the verifier SETCLIENTID returned");
        }
        List<ClientRecord> tearDown = new ArrayList<>();
        ClientRecord old = m.confirmedLocked(c.owner());
        if (old != null && old != c) {
            log.info("client {} {}: expired, replaced by the rebooted client's {}", old.id().hex(), old.info(),
                    c.id().hex());
            if (m.expireLocked(old)) {
                tearDown.add(old);
            }
        }
        m.confirmLocked(c);
        log.info("client {} {}: confirmed", c.id().hex(), c.info()); // the same line as 4.1 (its info says NFSv4.0)
        return new ConfirmOutcome(c, true, List.copyOf(tearDown));
    }
}

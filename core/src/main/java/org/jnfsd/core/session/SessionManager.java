package org.jnfsd.core.session;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.function.LongPredicate;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.ServerOwner;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.rpc.PeerLog;
import org.jnfsd.rpc.RpcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client records and sessions of one server instance: the tables EXCHANGE_ID, CREATE_SESSION,
 * SEQUENCE, DESTROY_SESSION and DESTROY_CLIENTID work on. Client ids and session ids embed this
 * instance's boot epoch, so ids from before a restart are never found (NFS4ERR_STALE_CLIENTID,
 * NFS4ERR_BADSESSION).
 *
 * <p>Leases: {@link #leaseOrder} holds the UNCONFIRMED and ACTIVE records in the order of their
 * last renewal (a renewal moves the record to the tail, O(1)), {@link #courtesyOrder} the COURTESY
 * records in the order they became courtesy. {@link #sweep} (the laundromat) walks each from its
 * head and stops at the first record that is not due, so its cost grows with the number of
 * records it changes, not with the number of clients.
 *
 * <p>Compounds in flight: SEQUENCE counts a COMPOUND in ({@link #beginCompound}) and the engine's
 * slot completion counts it out ({@link #endCompound}). A record expired while it has compounds in
 * flight is unhashed at once (new work is refused) and torn down by the last compound out.
 *
 * <p>Lifecycle of the manager itself: OPEN ──{@link #shutDown}──► SHUT_DOWN (server shutdown: every
 * record expires and EXCHANGE_ID is refused with NFS4ERR_DELAY from then on); {@link #lifecycle} is
 * guarded by {@link #lock}.
 *
 * <p>Concurrency: every table and every client record's state is guarded by {@link #lock}. Lock
 * order: a client's {@link ClientRecord#createSessionLock()} → {@link #lock} → a session's lock.
 * Methods whose name ends in {@code Locked} expect the caller to hold {@link #lock}.
 */
public final class SessionManager {
    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

    private final ServerConfig config;
    private final Clock clock;
    private final int bootEpoch;
    private final ServerOwner serverOwner;
    private final byte[] serverScope;
    private final Object lock = new Object();

    /** The manager's own state; see the class comment. */
    private enum Lifecycle { OPEN, SHUT_DOWN }

    @GuardedBy("lock")
    private Lifecycle lifecycle = Lifecycle.OPEN;

    @GuardedBy("lock")
    private int lastClientCounter;
    @GuardedBy("lock")
    private int lastSessionCounter;
    /** Confirmed (ACTIVE) records by owner. */
    @GuardedBy("lock")
    private final Map<OwnerKey, ClientRecord> confirmed = new HashMap<>();
    /** UNCONFIRMED records by owner. */
    @GuardedBy("lock")
    private final Map<OwnerKey, ClientRecord> unconfirmed = new HashMap<>();
    /** Every live record (not DESTROYED) by clientid. */
    @GuardedBy("lock")
    private final Map<Long, ClientRecord> byId = new HashMap<>();
    /** OPEN sessions (a DRAINING session is already removed). */
    @GuardedBy("lock")
    private final Map<SessionId, Session> sessions = new HashMap<>();
    /** UNCONFIRMED and ACTIVE records, least recently renewed first. */
    @GuardedBy("lock")
    private final SequencedSet<ClientRecord> leaseOrder = new LinkedHashSet<>();
    /** COURTESY records, longest courtesy first. */
    @GuardedBy("lock")
    private final SequencedSet<ClientRecord> courtesyOrder = new LinkedHashSet<>();
    /** UNCONFIRMED records, oldest first (they expire after the unconfirmed timeout). */
    @GuardedBy("lock")
    private final SequencedSet<ClientRecord> unconfirmedOrder = new LinkedHashSet<>();
    private final ReplyCacheBudget replyCache;
    /** Called for each EXCHANGE_ID refused at the client limit (metrics); set once at wiring. */
    private volatile Runnable onClientLimit = () -> { };

    /**
     * A server named {@link ServerConfig#serverName} (this host's name by default), with a boot
     * epoch unique to this instance.
     */
    public SessionManager(ServerConfig config, Clock clock) {
        this(config, clock, newBootEpoch(clock), config.serverName() != null ? config.serverName() : hostName());
    }

    /**
     * @param bootEpoch distinct for every server instance (embedded in client and session ids)
     * @param serverName stable across restarts of the same server: it is the server owner's
     *     major id and the server scope, which clients use for trunking and reclaim decisions
     */
    public SessionManager(ServerConfig config, Clock clock, int bootEpoch, String serverName) {
        this.config = config;
        this.clock = clock;
        this.bootEpoch = bootEpoch;
        byte[] name = serverName.getBytes(StandardCharsets.UTF_8);
        this.serverOwner = new ServerOwner(0, name);
        this.serverScope = name;
        long budget = config.limits().replyCacheBytes();
        this.replyCache = new ReplyCacheBudget(budget > 0 ? budget : ReplyCacheBudget.defaultLimit(Runtime.getRuntime().maxMemory()));
    }

    private static int newBootEpoch(Clock clock) {
        // the boot second, mixed with randomness so that two instances started in the same second
        // (or under a fixed test clock) still differ
        return (int) clock.instant().getEpochSecond() ^ new SecureRandom().nextInt();
    }

    private static String hostName() {
        try {
            return "jnfsd:" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            log.warn("cannot resolve the local host name; server owner will be 'jnfsd:localhost'", e);
            return "jnfsd:localhost";
        }
    }

    public ServerConfig config() {
        return config;
    }

    /** The reply caches' memory budget every session reserves from. */
    public ReplyCacheBudget replyCache() {
        return replyCache;
    }

    /** Called (under no lock of the caller's, quick) for every EXCHANGE_ID refused at the client limit. */
    public void onClientLimit(Runnable listener) {
        this.onClientLimit = listener;
    }

    /** How long an unconfirmed record lives: the unconfirmed timeout, or the lease when shorter. */
    private java.time.Duration unconfirmedTimeout() {
        java.time.Duration t = config.limits().unconfirmedClientTimeout();
        return t.compareTo(config.leaseTime()) < 0 ? t : config.leaseTime();
    }

    public int bootEpoch() {
        return bootEpoch;
    }

    public ServerOwner serverOwner() {
        return serverOwner;
    }

    public byte[] serverScope() {
        return serverScope.clone();
    }

    /** The outcome of {@link #exchangeId}: the record to report, and records it replaced. */
    public record ExchangeOutcome(ClientRecord client, boolean confirmed, List<ClientRecord> released) {}

    /**
     * The client-record part of EXCHANGE_ID (RFC 8881 §18.35.5), cases 1 to 9 for SP4_NONE.
     *
     * @param update EXCHGID4_FLAG_UPD_CONFIRMED_REC_A
     * @return the record whose clientid to return; {@code released} lists confirmed records this call
     *     destroyed (case 3 without state), whose open state the caller must release
     */
    public ExchangeOutcome exchangeId(byte[] ownerId, byte[] verifier, Principal principal, boolean update)
            throws NfsException {
        OwnerKey key = new OwnerKey(ownerId);
        List<ClientRecord> released = new ArrayList<>();
        synchronized (lock) {
            if (lifecycle == Lifecycle.SHUT_DOWN) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY, "server shutting down: no new client record");
            }
            ClientRecord conf = confirmed.get(key);
            if (conf != null && conf.v40Locked() != null) {
                // an NFSv4.0 client (SETCLIENTID) holds this owner: one record speaks one minor version
                if (conf.stateLocked() != ClientRecord.State.COURTESY) {
                    throw new NfsException(NfsStatus.NFS4ERR_CLID_INUSE, conf + " is an NFSv4.0 client");
                }
                if (beginExpiryLocked(conf)) {
                    released.add(conf);
                }
                conf = null;
            }
            if (conf != null) {
                boolean samePrincipal = conf.principal().equals(principal);
                boolean sameVerifier = conf.verifierMatches(verifier);
                if (update) {
                    if (!samePrincipal) {
                        throw new NfsException(NfsStatus.NFS4ERR_PERM, "update of " + conf + " by " + principal);
                    }
                    if (!sameVerifier) {
                        throw new NfsException(NfsStatus.NFS4ERR_NOT_SAME, "update of " + conf + ", other verifier");
                    }
                    return new ExchangeOutcome(conf, true, List.of()); // case 6
                }
                if (!samePrincipal) { // case 3: collision
                    if (!conf.sessionsLocked().isEmpty()) {
                        throw new NfsException(NfsStatus.NFS4ERR_CLID_INUSE,
                                conf + " is in use by " + conf.principal() + ", not " + principal);
                    }
                    destroyClientLocked(conf);
                    released.add(conf);
                } else if (sameVerifier) {
                    return new ExchangeOutcome(conf, true, List.of()); // case 2
                }
                // case 5 (client restart): a new unconfirmed record; the confirmed one lives on
                // until CREATE_SESSION confirms the new one
            } else if (update) {
                throw new NfsException(NfsStatus.NFS4ERR_NOENT, "update of an unknown client owner"); // case 7
            }
            ClientRecord unconf = unconfirmed.get(key);
            if (unconf != null) { // case 4: an unconfirmed record is replaced
                destroyClientLocked(unconf);
            }
            if (byId.size() >= config.limits().maxClients() && released.isEmpty() && !makeRoomLocked(released)) {
                refuseAtLimit(principal);
            }
            ClientRecord fresh = new ClientRecord(lock, ClientId.of(bootEpoch, ++lastClientCounter), key, verifier,
                    principal, clock.instant());
            unconfirmed.put(key, fresh);
            unconfirmedOrder.add(fresh);
            byId.put(fresh.id().value(), fresh);
            leaseOrder.add(fresh);
            log.debug("new client record {} for {}", fresh, principal);
            return new ExchangeOutcome(fresh, false, List.copyOf(released));
        }
    }

    /**
     * At the client limit: expires the oldest courtesy client, or else the oldest unconfirmed
     * record if it is older than the unconfirmed timeout, adding it to {@code tearDown} when it
     * must be torn down now (a record with compounds in flight is torn down by the last one out).
     *
     * @return false when neither exists: the limit holds
     */
    @GuardedBy("lock")
    private boolean makeRoomLocked(List<ClientRecord> tearDown) {
        ClientRecord victim = null;
        String why = null;
        if (!courtesyOrder.isEmpty()) {
            victim = courtesyOrder.getFirst();
            why = "the oldest courtesy client";
        } else if (!unconfirmedOrder.isEmpty()
                && !unconfirmedOrder.getFirst().lastRenewed().isAfter(clock.instant().minus(unconfirmedTimeout()))) {
            victim = unconfirmedOrder.getFirst();
            why = "the oldest unconfirmed record";
        }
        if (victim == null) {
            return false;
        }
        PeerLog.info(log, "client-limit-expiry", "client {} {}: expired, {} at the client limit of {}", victim.id().hex(),
                victim.info(), why, config.limits().maxClients());
        if (beginExpiryLocked(victim)) {
            tearDown.add(victim);
        }
        return true;
    }

    /** Counts, logs (rate-limited) and throws the refusal of a new record at the client limit. */
    private void refuseAtLimit(Principal principal) throws NfsException {
        try {
            onClientLimit.run();
        } catch (RuntimeException e) {
            log.error("client limit listener failed", e);
        }
        PeerLog.warn(log, "client-limit", "EXCHANGE_ID of {} refused with NFS4ERR_DELAY: {} client records, the limit, "
                + "and none is a courtesy client or an unconfirmed one older than {}", principal,
                config.limits().maxClients(), unconfirmedTimeout());
        throw new NfsException(NfsStatus.NFS4ERR_DELAY, "client limit of " + config.limits().maxClients() + " reached");
    }

    /**
     * The live record for {@code clientId}.
     *
     * @throws NfsException NFS4ERR_STALE_CLIENTID for an id of another server instance, or unknown
     */
    public ClientRecord client(long clientId) throws NfsException {
        synchronized (lock) {
            ClientRecord c = byId.get(clientId);
            if (c == null) {
                String why = new ClientId(clientId).epoch() != bootEpoch ? "from another server instance" : "unknown";
                throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, new ClientId(clientId) + " is " + why);
            }
            return c;
        }
    }

    /** Every live client record; a snapshot, for the lease work. */
    public List<ClientRecord> clients() {
        synchronized (lock) {
            return new ArrayList<>(byId.values());
        }
    }

    /** The outcome of {@link #createSession}: the new session, and confirmed records it replaced. */
    public record CreateOutcome(Session session, List<ClientRecord> released) {}

    /**
     * The state part of CREATE_SESSION: confirms {@code client} if it is unconfirmed (expiring the
     * confirmed record it replaces, RFC 8881 §18.35.5 case 5: EXPIRING, and torn down by the caller
     * when listed in {@code released}, else by its last compound in flight), creates an OPEN session and binds
     * {@code conn} to it for {@code direction}.
     *
     * @param fore the negotiated fore channel (its maxRequests is the slot count)
     */
    public CreateOutcome createSession(ClientRecord client, Principal principal, ChannelAttrs fore, ChannelAttrs back,
            int flags, int cbProgram, List<CallbackSecParms> cbSec, RpcConnection conn, ChannelDirection direction)
            throws NfsException {
        List<ClientRecord> released = new ArrayList<>();
        Session session;
        synchronized (lock) {
            if (byId.get(client.id().value()) != client) {
                throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, client + " was destroyed");
            }
            if (client.v40Locked() != null) {
                throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, client + " is an NFSv4.0 client (SETCLIENTID)");
            }
            if (client.stateLocked() == ClientRecord.State.UNCONFIRMED) {
                if (!client.principal().equals(principal)) {
                    throw new NfsException(NfsStatus.NFS4ERR_CLID_INUSE,
                            client + " belongs to " + client.principal() + ", not " + principal);
                }
                ClientRecord old = confirmed.get(client.owner());
                if (old != null && beginExpiryLocked(old)) {
                    // the rebooted client's old record: expired like a lapsed lease, so that
                    // compounds of it still in flight finish before its state goes
                    released.add(old);
                }
                unconfirmed.remove(client.owner(), client);
                unconfirmedOrder.remove(client);
                confirmed.put(client.owner(), client);
                client.setStateLocked(ClientRecord.State.ACTIVE);
                log.info("client {} {}: confirmed", client.id().hex(), client.info());
            }
            SessionId id = newSessionIdLocked(client);
            ChannelAttrs granted = replyCache.reserve(fore);
            if (granted != fore) {
                PeerLog.info(log, "reply-cache-short", "client {}: CREATE_SESSION negotiated down to {} slots of {} cached "
                        + "bytes (asked {} of {}): the reply cache budget of {} bytes has {} reserved", client.id().hex(),
                        granted.maxRequests(), granted.maxResponseSizeCached(), fore.maxRequests(),
                        fore.maxResponseSizeCached(), replyCache.limit(), replyCache.reserved());
            }
            session = new Session(id, client, granted, back, flags, cbProgram, cbSec, this::sessionDestroyed);
            sessions.put(id, session);
            client.sessionsLocked().add(session);
            renewLocked(client);
        }
        session.bind(conn, direction);
        return new CreateOutcome(session, List.copyOf(released));
    }

    @GuardedBy("lock")
    private SessionId newSessionIdLocked(ClientRecord client) {
        ByteBuffer b = ByteBuffer.allocate(SessionId.SIZE);
        b.putLong(client.id().value()).putInt(++lastSessionCounter).putInt(bootEpoch);
        return new SessionId(b.array());
    }

    /**
     * The OPEN session {@code id}.
     *
     * @throws NfsException NFS4ERR_BADSESSION if unknown, draining or destroyed
     */
    public Session session(SessionId id) throws NfsException {
        synchronized (lock) {
            Session s = sessions.get(id);
            if (s == null) {
                throw new NfsException(NfsStatus.NFS4ERR_BADSESSION, "no session " + id);
            }
            return s;
        }
    }

    /**
     * Starts destroying {@code session}: it is unhashed at once (new SEQUENCEs get
     * NFS4ERR_BADSESSION) and destroyed when its last slot in use is released.
     *
     * @throws NfsException NFS4ERR_BADSESSION if it was already being destroyed
     */
    public void destroySession(Session session) throws NfsException {
        synchronized (lock) {
            if (sessions.remove(session.id(), session) && session.drain()) {
                log.debug("{} draining", session);
                return;
            }
        }
        throw new NfsException(NfsStatus.NFS4ERR_BADSESSION, session + " is already being destroyed");
    }

    /** Called by a session once it is DESTROYED, without its lock. */
    private void sessionDestroyed(Session session) {
        synchronized (lock) {
            sessions.remove(session.id(), session);
            session.client().sessionsLocked().remove(session);
        }
        replyCache.release(session.foreChannel());
        log.debug("{} destroyed", session);
    }

    /**
     * DESTROY_CLIENTID's state part: removes the record if it has no session and, while its lease
     * is unexpired, no state (RFC 8881 §18.50.3: "sessions ..., opens, locks, delegations, layouts,
     * and/or wants associated with the unexpired lease of the client ID"). A COURTESY client's
     * lease has expired: it is destroyed with its state.
     *
     * @param hasState asked under this manager's lock, so that no session (and so no state) can
     *     appear between the check and the destruction; it must take no lock that is held while
     *     calling into this manager
     * @return the destroyed record, whose state the caller must tear down
     * @throws NfsException NFS4ERR_STALE_CLIENTID if unknown, NFS4ERR_CLIENTID_BUSY while it has an
     *     open session or state, NFS4ERR_DELAY while a destroyed session still drains
     */
    public ClientRecord destroyClient(long clientId, LongPredicate hasState) throws NfsException {
        synchronized (lock) {
            ClientRecord c = client(clientId);
            if (c.stateLocked() != ClientRecord.State.COURTESY && hasState.test(clientId)) {
                throw new NfsException(NfsStatus.NFS4ERR_CLIENTID_BUSY, c + " still holds state");
            }
            List<Session> live = new ArrayList<>(c.sessionsLocked());
            for (Session s : live) {
                if (s.state() == Session.State.OPEN) {
                    throw new NfsException(NfsStatus.NFS4ERR_CLIENTID_BUSY, c + " still has " + s);
                }
            }
            if (!live.isEmpty()) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY, c + " has sessions draining");
            }
            destroyClientLocked(c);
            return c;
        }
    }

    /** Unhashes {@code c}, drains its sessions and marks it DESTROYED. */
    @GuardedBy("lock")
    private void destroyClientLocked(ClientRecord c) {
        unhashLocked(c);
        c.setStateLocked(ClientRecord.State.DESTROYED);
        log.debug("{} destroyed", c);
    }

    /** Refuses new work from {@code c}: out of every table, its sessions draining. */
    @GuardedBy("lock")
    private void unhashLocked(ClientRecord c) {
        confirmed.remove(c.owner(), c);
        unconfirmed.remove(c.owner(), c);
        byId.remove(c.id().value(), c);
        leaseOrder.remove(c);
        courtesyOrder.remove(c);
        unconfirmedOrder.remove(c);
        c.setCourtesySinceLocked(null);
        for (Session s : new ArrayList<>(c.sessionsLocked())) {
            sessions.remove(s.id(), s);
            s.drain();
        }
    }

    /**
     * Starts expiring {@code c}: EXPIRING and unhashed.
     *
     * @return true when the caller must tear it down now; false when compounds of it are in flight
     *     (the last one out tears it down, {@link #endCompound})
     */
    @GuardedBy("lock")
    private boolean beginExpiryLocked(ClientRecord c) {
        unhashLocked(c);
        c.setStateLocked(ClientRecord.State.EXPIRING);
        if (c.compoundsInFlightLocked() > 0) {
            c.setTeardownPendingLocked(true);
            log.debug("{} expiring after its {} compounds in flight", c, c.compoundsInFlightLocked());
            return false;
        }
        log.debug("{} expiring", c);
        return true;
    }

    /**
     * Server shutdown, the "refuse new work" step: from now on EXCHANGE_ID is refused, and every
     * live record expires at once (unhashed, its sessions drained, so its next SEQUENCE gets
     * NFS4ERR_BADSESSION). Idempotent: a second call returns nothing.
     *
     * @return the records the caller must tear down now; a record with compounds in flight is not
     *     among them, its last compound out tears it down ({@link #endCompound})
     */
    public List<ClientRecord> shutDown() {
        synchronized (lock) {
            if (lifecycle == Lifecycle.SHUT_DOWN) {
                return List.of();
            }
            lifecycle = Lifecycle.SHUT_DOWN;
            List<ClientRecord> all = List.copyOf(byId.values());
            List<ClientRecord> now = new ArrayList<>();
            for (ClientRecord c : all) {
                if (beginExpiryLocked(c)) {
                    now.add(c);
                }
            }
            log.info("shutdown: {} client records expired, {} of them torn down by their last compound in flight",
                    all.size(), all.size() - now.size());
            return List.copyOf(now);
        }
    }

    /** The end of a teardown: an EXPIRING record becomes DESTROYED (a DESTROYED one stays). */
    public void finishExpiry(ClientRecord c) {
        synchronized (lock) {
            if (c.stateLocked() == ClientRecord.State.EXPIRING) {
                c.setStateLocked(ClientRecord.State.DESTROYED);
                log.debug("{} destroyed", c);
            }
        }
    }

    /** What {@link #sweep} did: the records to tear down now, and how many records it looked at. */
    public record Sweep(List<ClientRecord> tearDownNow, int courtesyEntered, int expired, int visited) {}

    /**
     * The laundromat's pass: UNCONFIRMED records older than the unconfirmed timeout (or the lease)
     * expire; records whose lease lapsed become COURTESY;
     * COURTESY records beyond {@link ServerConfig#maxCourtesyClients()}, oldest first, or older
     * than {@link ServerConfig#maxCourtesyTime()} expire. Visits only the records it changes, plus
     * at most one record per queue that it leaves alone.
     */
    public Sweep sweep() {
        Instant now = clock.instant();
        Instant lapsedBefore = now.minus(config.leaseTime());
        Instant courtesyBefore = now.minus(config.maxCourtesyTime());
        List<ClientRecord> tearDown = new ArrayList<>();
        int visited = 0;
        int courtesy = 0;
        int expired = 0;
        Instant unconfirmedBefore = now.minus(unconfirmedTimeout());
        synchronized (lock) {
            List<ClientRecord> stale = new ArrayList<>();
            for (ClientRecord c : unconfirmedOrder) {
                visited++;
                if (c.lastRenewed().isAfter(unconfirmedBefore)) {
                    break;
                }
                stale.add(c);
            }
            for (ClientRecord c : stale) {
                expired++;
                PeerLog.info(log, "unconfirmed-expiry", "client {} {}: expired, not confirmed within {}", c.id().hex(),
                        c.info(), unconfirmedTimeout());
                if (beginExpiryLocked(c)) {
                    tearDown.add(c);
                }
            }
            List<ClientRecord> lapsed = new ArrayList<>();
            for (ClientRecord c : leaseOrder) {
                visited++;
                if (c.lastRenewed().isAfter(lapsedBefore)) {
                    break; // renewed after every record behind it in the queue: none is due
                }
                lapsed.add(c);
            }
            for (ClientRecord c : lapsed) {
                if (c.stateLocked() == ClientRecord.State.UNCONFIRMED) {
                    expired++;
                    log.info("client {} {}: expired, never confirmed within a lease", c.id().hex(), c.info());
                    if (beginExpiryLocked(c)) {
                        tearDown.add(c);
                    }
                } else {
                    leaseOrder.remove(c);
                    c.setStateLocked(ClientRecord.State.COURTESY);
                    c.setCourtesySinceLocked(now);
                    courtesyOrder.add(c);
                    courtesy++;
                    log.info("client {} {}: lease lapsed, kept as a courtesy client", c.id().hex(), c.info());
                }
            }
            List<ClientRecord> tooOld = new ArrayList<>();
            int remaining = courtesyOrder.size();
            for (ClientRecord c : courtesyOrder) {
                visited++;
                if (remaining <= config.maxCourtesyClients() && c.courtesySinceLocked().isAfter(courtesyBefore)) {
                    break;
                }
                tooOld.add(c);
                remaining--;
            }
            for (ClientRecord c : tooOld) {
                expired++;
                log.info("client {} {}: expired, courtesy over (too old or too many courtesy clients)", c.id().hex(),
                        c.info());
                if (beginExpiryLocked(c)) {
                    tearDown.add(c);
                }
            }
        }
        return new Sweep(List.copyOf(tearDown), courtesy, expired, visited);
    }

    /** One record {@link #expireIfAllCourtesy} expired, and whether the caller must tear it down now. */
    public record Expiry(ClientRecord client, boolean tearDownNow) {}

    /**
     * Expires the records of {@code clientIds} if every one is COURTESY (another client's request
     * conflicts with their state); otherwise expires none.
     *
     * @return null if one is unknown or not COURTESY; otherwise the records, each with whether the
     *     caller must tear it down now (false: compounds of it are in flight and the last one out will)
     */
    public List<Expiry> expireIfAllCourtesy(Collection<Long> clientIds) {
        synchronized (lock) {
            List<ClientRecord> records = new ArrayList<>();
            for (long id : clientIds) {
                ClientRecord c = byId.get(id);
                if (c == null || c.stateLocked() != ClientRecord.State.COURTESY) {
                    return null;
                }
                records.add(c);
            }
            List<Expiry> out = new ArrayList<>();
            for (ClientRecord c : records) {
                log.info("client {} {}: expired, another client's request conflicts with its courtesy state", c.id().hex(),
                        c.info());
                out.add(new Expiry(c, beginExpiryLocked(c)));
            }
            return out;
        }
    }

    /**
     * Expires the live record {@code clientId} at once, whatever its lease (the administrator's
     * {@code jnfsd evict}, as knfsd's {@code expire}): unhashed, its sessions drained.
     *
     * @return null if no live record has that id (unknown, or already expiring or destroyed)
     */
    public Expiry expireNow(long clientId) {
        synchronized (lock) {
            ClientRecord c = byId.get(clientId);
            if (c == null || c.stateLocked() == ClientRecord.State.EXPIRING
                    || c.stateLocked() == ClientRecord.State.DESTROYED) {
                return null;
            }
            return new Expiry(c, beginExpiryLocked(c));
        }
    }

    /**
     * Counts a COMPOUND of {@code c} in (SEQUENCE acquired a slot) and renews its lease; a COURTESY
     * record becomes ACTIVE again.
     *
     * @return false when {@code c} is expiring or destroyed: the COMPOUND must fail, uncounted
     */
    public boolean beginCompound(ClientRecord c) {
        synchronized (lock) {
            ClientRecord.State st = c.stateLocked();
            if (st == ClientRecord.State.EXPIRING || st == ClientRecord.State.DESTROYED) {
                return false;
            }
            c.addCompoundsInFlightLocked(1);
            renewLocked(c);
            return true;
        }
    }

    /**
     * Counts a COMPOUND of {@code c} out (the engine completed its slot).
     *
     * @return true when it was the last one of an expiring record: the caller must tear it down
     */
    public boolean endCompound(ClientRecord c) {
        synchronized (lock) {
            c.addCompoundsInFlightLocked(-1);
            if (c.compoundsInFlightLocked() == 0 && c.teardownPendingLocked()) {
                c.setTeardownPendingLocked(false);
                return true;
            }
            return false;
        }
    }

    /** Renews {@code c}'s lease to now: to the tail of the lease queue; COURTESY becomes ACTIVE. */
    @GuardedBy("lock")
    private void renewLocked(ClientRecord c) {
        c.renew(clock.instant());
        switch (c.stateLocked()) {
            case UNCONFIRMED, ACTIVE -> {
                leaseOrder.remove(c);
                leaseOrder.add(c);
            }
            case COURTESY -> {
                courtesyOrder.remove(c);
                c.setCourtesySinceLocked(null);
                c.setStateLocked(ClientRecord.State.ACTIVE);
                leaseOrder.add(c);
                log.debug("{} resumed from courtesy", c);
            }
            case EXPIRING, DESTROYED -> { }
        }
    }

    /**
     * RECLAIM_COMPLETE with rca_one_fs false.
     *
     * @throws NfsException NFS4ERR_COMPLETE_ALREADY the second time
     */
    public void reclaimComplete(ClientRecord c) throws NfsException {
        synchronized (lock) {
            if (c.reclaimCompleteLocked()) {
                throw new NfsException(NfsStatus.NFS4ERR_COMPLETE_ALREADY, c + " already completed reclaim");
            }
            c.setReclaimCompleteLocked();
        }
    }

    /** Whether {@code c} sent RECLAIM_COMPLETE (rca_one_fs false). */
    public boolean reclaimCompleted(ClientRecord c) {
        synchronized (lock) {
            return c.reclaimCompleteLocked();
        }
    }

    // ---- NFSv4.0 client records: the rules are in V40ClientIds; these give it the tables ----

    @GuardedBy("lock")
    private int lastConfirmCounter;

    /** SETCLIENTID (RFC 7530 §16.33.5); see {@link V40ClientIds#setClientId}. */
    public V40ClientIds.SetOutcome setClientId(byte[] ownerId, byte[] verifier, Principal principal,
            org.jnfsd.protocol.nfs4.v40.CallbackClient callback, int callbackIdent) throws NfsException {
        synchronized (lock) {
            if (lifecycle == Lifecycle.SHUT_DOWN) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY, "server shutting down: no new client record");
            }
            return V40ClientIds.setClientId(this, new OwnerKey(ownerId), verifier, principal, callback, callbackIdent);
        }
    }

    /** SETCLIENTID_CONFIRM (RFC 7530 §16.34.5); see {@link V40ClientIds#confirm}. */
    public V40ClientIds.ConfirmOutcome confirmClientId(long clientId, byte[] confirm, Principal principal)
            throws NfsException {
        synchronized (lock) {
            return V40ClientIds.confirm(this, clientId, confirm, principal);
        }
    }

    @GuardedBy("lock")
    byte[] newConfirmVerifierLocked() {
        return ByteBuffer.allocate(8).putInt(bootEpoch).putInt(++lastConfirmCounter).array();
    }

    @GuardedBy("lock")
    ClientRecord confirmedLocked(OwnerKey key) {
        return confirmed.get(key);
    }

    @GuardedBy("lock")
    ClientRecord unconfirmedLocked(OwnerKey key) {
        return unconfirmed.get(key);
    }

    @GuardedBy("lock")
    ClientRecord byIdLocked(long clientId) {
        return byId.get(clientId);
    }

    /**
     * A new UNCONFIRMED record for {@code key}, at the client limit after making room as
     * EXCHANGE_ID does.
     */
    @GuardedBy("lock")
    ClientRecord newUnconfirmedLocked(OwnerKey key, byte[] verifier, Principal principal, List<ClientRecord> tearDown)
            throws NfsException {
        if (byId.size() >= config.limits().maxClients() && !makeRoomLocked(tearDown)) {
            refuseAtLimit(principal);
        }
        ClientRecord fresh = new ClientRecord(lock, ClientId.of(bootEpoch, ++lastClientCounter), key, verifier,
                principal, clock.instant());
        unconfirmed.put(key, fresh);
        unconfirmedOrder.add(fresh);
        byId.put(fresh.id().value(), fresh);
        leaseOrder.add(fresh);
        return fresh;
    }

    /** UNCONFIRMED → ACTIVE for {@code c}, in the confirmed table; renews its lease. */
    @GuardedBy("lock")
    void confirmLocked(ClientRecord c) {
        unconfirmed.remove(c.owner(), c);
        unconfirmedOrder.remove(c);
        confirmed.put(c.owner(), c);
        c.setStateLocked(ClientRecord.State.ACTIVE);
        renewLocked(c);
    }

    @GuardedBy("lock")
    void destroyLocked(ClientRecord c) {
        destroyClientLocked(c);
    }

    @GuardedBy("lock")
    boolean expireLocked(ClientRecord c) {
        return beginExpiryLocked(c);
    }

    /** Renews {@code c}'s lease to now (a SEQUENCE that acquired no slot: a replay). */
    public void renew(ClientRecord c) {
        synchronized (lock) {
            renewLocked(c);
        }
    }
}

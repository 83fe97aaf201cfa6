package org.jnfsd.core.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.session.ClientInfo;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator's view of the clients ({@code jnfsd clients}) and their eviction
 * ({@code jnfsd evict}, as knfsd's {@code /proc/fs/nfsd/clients/N/ctl expire}). Reads snapshots
 * of the owning tables; evicts through the normal expiry and teardown. Thread-safe.
 */
public final class ClientAdmin {
    private static final Logger log = LoggerFactory.getLogger(ClientAdmin.class);

    /** One client as {@code jnfsd clients} lists it. */
    public record Summary(long clientId, String state, ClientInfo info, long leaseLeftMillis, int sessions,
            String callback, int opens, int locks, int delegations) {
        public String id() {
            return String.format("%016x", clientId);
        }
    }

    /** What {@link #evict} did. */
    public enum Result { TORN_DOWN, EXPIRING, UNKNOWN }

    /** The outcome of {@link #evict}: released counts what the client held just before its teardown. */
    public record Eviction(Result result, int opens, int locks, int delegations) {}

    private final ServerContext server;

    public ClientAdmin(ServerContext server) {
        this.server = server;
    }

    /** Every client record, oldest first. */
    public List<Summary> clients() {
        Map<Long, Integer> delegations = server.delegations().liveByClient();
        Duration lease = server.config().leaseTime();
        long now = server.clock().millis();
        List<Summary> out = new ArrayList<>();
        for (ClientRecord c : server.sessions().clients()) {
            long id = c.id().value();
            CallbackChannel ch = server.callbacks().channel(c.id());
            long left = c.lastRenewed().toEpochMilli() + lease.toMillis() - now;
            out.add(new Summary(id, c.state().name(), c.info(), Math.max(0, left), c.sessions().size(),
                    ch == null ? "NONE" : ch.state().name(), server.opens().openCount(id),
                    server.locks().lockStateCount(id), delegations.getOrDefault(id, 0)));
        }
        return out;
    }

    /**
     * Expires {@code clientId} now and tears it down through the normal teardown (its delegations,
     * locks, opens, copies, callback channel, recovery record); when COMPOUNDs of it are in flight,
     * the last one out tears it down ({@link Result#EXPIRING}). Logged at INFO.
     */
    public Eviction evict(long clientId) {
        int opens = server.opens().openCount(clientId);
        int locks = server.locks().lockStateCount(clientId);
        int delegations = server.delegations().liveByClient().getOrDefault(clientId, 0);
        SessionManager.Expiry e = server.sessions().expireNow(clientId);
        String id = String.format("%016x", clientId);
        if (e == null) {
            log.info("client {}: evict asked by the administrator, but no live client has that id", id);
            return new Eviction(Result.UNKNOWN, 0, 0, 0);
        }
        if (!e.tearDownNow()) {
            log.info("client {} {}: evicted by the administrator; torn down when its compounds in flight end", id,
                    e.client().info());
            return new Eviction(Result.EXPIRING, opens, locks, delegations);
        }
        server.teardown().tearDown(e.client());
        log.info("client {} {}: evicted by the administrator; released {} opens, {} lock states, {} delegations", id,
                e.client().info(), opens, locks, delegations);
        return new Eviction(Result.TORN_DOWN, opens, locks, delegations);
    }
}

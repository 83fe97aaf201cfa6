package org.jnfsd.core.lease;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientInfo;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.protocol.nfs4.StateId;
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

    /**
     * One stateid as {@code jnfsd states} lists it: its kind (OPEN, LOCK, DELEGATION), the stateid
     * ({@code seqid:other} in hex), the file handle, and what it grants.
     */
    public record StateEntry(String kind, String stateId, String file, String detail) {}

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
     * The stateids {@code clientId} holds, opens then lock states then delegations; null when no
     * live client has that id. A snapshot of each owning table, taken one table at a time.
     */
    public List<StateEntry> states(long clientId) {
        boolean known = server.sessions().clients().stream().anyMatch(c -> c.id().value() == clientId);
        if (!known) {
            return null;
        }
        List<StateEntry> out = new ArrayList<>();
        for (OpenShare o : server.opens().sharesOf(clientId)) {
            out.add(new StateEntry("OPEN", stateId(o.stateId()), file(o.file()), "access=" + share(o.access(), "READ",
                    "WRITE") + " deny=" + share(o.deny(), "READ", "WRITE") + " owner=" + owner(o.owner().owner())));
        }
        for (LockManager.LockView l : server.locks().locksOf(clientId)) {
            StringBuilder ranges = new StringBuilder();
            for (LockManager.HeldRange r : l.ranges()) {
                ranges.append(ranges.isEmpty() ? "" : ",").append(r.write() ? "WRITE " : "READ ")
                        .append(Long.toUnsignedString(r.range().first())).append('-')
                        .append(r.range().last() == -1L ? "EOF" : Long.toUnsignedString(r.range().last()));
            }
            out.add(new StateEntry("LOCK", stateId(l.stateId()), file(l.file()),
                    (ranges.isEmpty() ? "no ranges" : ranges) + " owner=" + owner(l.owner().owner())));
        }
        for (DelegationTable.DelegationView d : server.delegations().ofClient(clientId)) {
            out.add(new StateEntry("DELEGATION", stateId(d.stateId()), file(d.file()), d.type() + " " + d.state()
                    + (d.recallStartedAt() == null ? "" : " since " + d.recallStartedAt())));
        }
        return out;
    }

    private static String stateId(StateId id) {
        return Integer.toUnsignedString(id.seqid()) + ":" + HexFormat.of().formatHex(id.other());
    }

    private static String file(FileHandle fh) {
        return fh.exportId() + ":" + HexFormat.of().formatHex(fh.inode().bytes());
    }

    private static String share(int bits, String first, String second) {
        return switch (bits & 3) {
            case 0 -> "NONE";
            case 1 -> first;
            case 2 -> second;
            default -> "BOTH";
        };
    }

    /** An owner as text when it is printable ASCII, else in hex. */
    private static String owner(byte[] owner) {
        for (byte b : owner) {
            if (b < 0x21 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(owner);
            }
        }
        return new String(owner, StandardCharsets.US_ASCII);
    }

    /**
     * Expires {@code clientId} now and tears it down through the normal teardown (its delegations,
     * locks, opens, copies, callback channel, recovery record); when COMPOUNDs of it are in flight,
     * the last one out tears it down ({@link Result#EXPIRING}). Logged at INFO.
     */
    public Eviction evict(long clientId) {
        return evict(clientId, "by the administrator");
    }

    /** As {@link #evict(long)}, the log lines saying why ({@code "by the administrator"}). */
    public Eviction evict(long clientId, String why) {
        int opens = server.opens().openCount(clientId);
        int locks = server.locks().lockStateCount(clientId);
        int delegations = server.delegations().liveByClient().getOrDefault(clientId, 0);
        SessionManager.Expiry e = server.sessions().expireNow(clientId);
        String id = String.format("%016x", clientId);
        if (e == null) {
            log.info("client {}: evict asked {}, but no live client has that id", id, why);
            return new Eviction(Result.UNKNOWN, 0, 0, 0);
        }
        if (!e.tearDownNow()) {
            log.info("client {} {}: evicted {}; torn down when its compounds in flight end", id,
                    e.client().info(), why);
            return new Eviction(Result.EXPIRING, opens, locks, delegations);
        }
        server.teardown().tearDown(e.client());
        log.info("client {} {}: evicted {}; released {} opens, {} lock states, {} delegations", id,
                e.client().info(), why, opens, locks, delegations);
        return new Eviction(Result.TORN_DOWN, opens, locks, delegations);
    }
}

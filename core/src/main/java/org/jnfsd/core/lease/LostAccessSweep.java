package org.jnfsd.core.lease;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a reload of the exports: a client holding state (opens, lock states, delegations) on an
 * export it may no longer use (the export was removed, or no rule matches the client's address
 * any more) is expired and torn down through the normal teardown, as {@code jnfsd evict} does.
 * That state could never be released otherwise: its files answer NFS4ERR_ACCESS or NFS4ERR_STALE
 * at PUTFH, so the client can neither CLOSE nor LOCKU them, while SEQUENCE (which needs no file)
 * keeps its lease alive. The client finds its session gone at its next request and starts anew
 * (the Linux client does), keeping what it may still use. Clients without such state are left
 * alone: their next PUTFH answers NFS4ERR_ACCESS.
 *
 * <p>Runs on the thread of the reload, after the new table is in force; thread-safe as
 * {@link ClientAdmin#evict} is.
 */
public final class LostAccessSweep {
    private static final Logger log = LoggerFactory.getLogger(LostAccessSweep.class);

    private final ServerContext server;

    public LostAccessSweep(ServerContext server) {
        this.server = server;
    }

    /** Tears down every client that holds state on an export {@code table} no longer lets it use; their ids. */
    public List<Long> sweep(ExportTable table) {
        List<Long> evicted = new ArrayList<>();
        ClientAdmin admin = new ClientAdmin(server);
        for (ClientRecord c : server.sessions().clients()) {
            InetAddress address = addressOf(c.info().address());
            if (address == null) {
                continue;
            }
            long id = c.id().value();
            String lost = lostExport(table, address, exportsWithState(id));
            if (lost == null) {
                continue;
            }
            log.warn("client {} {}: {} is no longer exported to {}: releasing its state", String.format("%016x", id),
                    c.info(), lost, address.getHostAddress());
            admin.evict(id, "as a reload removed its access to " + lost);
            evicted.add(id);
        }
        return evicted;
    }

    private Set<Integer> exportsWithState(long clientId) {
        Set<Integer> ids = new HashSet<>();
        server.opens().sharesOf(clientId).forEach(o -> ids.add(o.file().exportId()));
        server.locks().locksOf(clientId).forEach(l -> ids.add(l.file().exportId()));
        server.delegations().ofClient(clientId).forEach(d -> ids.add(d.file().exportId()));
        return ids;
    }

    /** The first export among {@code exportIds} the client may not use under {@code table}, named; or null. */
    private static String lostExport(ExportTable table, InetAddress client, Set<Integer> exportIds) {
        for (int exportId : exportIds) {
            Export e;
            try {
                e = table.get(exportId);
            } catch (NfsException removed) {
                return "the removed export with id " + exportId;
            }
            if (table.ruleFor(e, client).isEmpty()) {
                return "export " + e.path();
            }
        }
        return null;
    }

    /** The address of "host:port" as ClientInfo gives it; null when there is none. */
    static InetAddress addressOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(hostPort.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

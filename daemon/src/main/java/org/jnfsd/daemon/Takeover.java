package org.jnfsd.daemon;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jnfsd.cluster.ClusterDatabase;
import org.jnfsd.cluster.ClusterException;
import org.jnfsd.cluster.ServiceLeases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jnfsd takeover SERVICE}: makes the node named by {@code --node-id} the owner of the
 * service in the cluster database, whoever owns it now (the operator says the owner is gone or
 * must go). The node's daemon, in either failover mode, starts serving once the old owner's lease
 * has run out: the old owner, if still alive, sees its renewal refused and stops serving first.
 *
 * <p>It talks to the database rather than to the daemon: a standby listens on no address (it
 * binds the service address only while it serves), and the database is where ownership is decided.
 */
@Command(name = "takeover", mixinStandardHelpOptions = true,
        description = "Make --node-id the owner of SERVICE in the cluster; its jnfsd serves it once the old owner's "
                + "lease ran out (the old owner stops serving before that).")
final class Takeover implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service to take over (--service of the nodes).")
    String service;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ClusterDatabase db = cluster.open()) {
            ServiceLeases.Grant g = new ServiceLeases(db, cluster.nodeId, cluster.lease(), null).takeOver(service);
            out.println("node " + cluster.nodeId + " owns " + service
                    + (g.previousOwner() != null && !g.previousOwner().equals(cluster.nodeId)
                            ? " (taken from node " + g.previousOwner() + ")" : "")
                    + "; it serves from " + g.serveAfter());
            out.flush();
            return 0;
        } catch (DaemonException e) {
            err.println("jnfsd takeover: " + e.getMessage());
            err.flush();
            return 1;
        } catch (ClusterException e) {
            err.println("jnfsd takeover: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

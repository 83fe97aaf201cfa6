package org.jnfsd.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import org.jnfsd.core.lease.ClientAdmin;
import org.jnfsd.server.admin.AdminClient;
import org.jnfsd.server.admin.FaultInjector;
import org.jnfsd.server.admin.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnfsd clients} and {@code jnfsd evict}: the admin program's client procedures. */
final class AdminCommands {
    private AdminCommands() {}

    /** The running server to ask: its NFS port, from this machine. */
    static final class Target {
        @Option(names = "--port", defaultValue = "2049", description = "The server's TCP port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "The server's address; it answers loopback callers only (default: ${DEFAULT-VALUE}).")
        String host;

        InetSocketAddress address() {
            return new InetSocketAddress(host, port);
        }
    }

    @Command(name = "clients", mixinStandardHelpOptions = true,
            description = "List a running server's clients: id, state, address, minor version, owner, implementation, "
                    + "lease left, sessions, callback channel, opens, lock states, delegations.")
    static final class Clients implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--json", description = "One JSON array instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                List<ClientAdmin.Summary> all = AdminClient.clients(target.address());
                if (json) {
                    out.println(json(all));
                } else {
                    out.println(table(all));
                }
                out.flush();
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("jnfsd clients: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        static String table(List<ClientAdmin.Summary> all) {
            StringBuilder b = new StringBuilder(String.format("%-16s %-11s %-21s %-5s %8s %4s %-9s %5s %5s %5s  %s",
                    "CLIENT", "STATE", "ADDRESS", "MINOR", "LEASE", "SESS", "CALLBACK", "OPENS", "LOCKS", "DELEG",
                    "OWNER / IMPLEMENTATION"));
            for (ClientAdmin.Summary s : all) {
                b.append('\n').append(String.format("%-16s %-11s %-21s 4.%-3d %7ds %4d %-9s %5d %5d %5d  %s%s",
                        s.id(), s.state(), s.info().address(), s.info().minorVersion(), s.leaseLeftMillis() / 1000,
                        s.sessions(), s.callback(), s.opens(), s.locks(), s.delegations(), s.info().owner(),
                        s.info().implementation().isEmpty() ? "" : " / " + s.info().implementation()));
            }
            return b.toString();
        }

        static String json(List<ClientAdmin.Summary> all) {
            StringBuilder b = new StringBuilder("[");
            for (ClientAdmin.Summary s : all) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append("{\"id\":").append(Json.quote(s.id())).append(",\"state\":").append(Json.quote(s.state()))
                        .append(",\"address\":").append(Json.quote(s.info().address()))
                        .append(",\"minorVersion\":").append(s.info().minorVersion())
                        .append(",\"owner\":").append(Json.quote(s.info().owner()))
                        .append(",\"implementation\":").append(Json.quote(s.info().implementation()))
                        .append(",\"leaseLeftMillis\":").append(s.leaseLeftMillis())
                        .append(",\"sessions\":").append(s.sessions())
                        .append(",\"callback\":").append(Json.quote(s.callback()))
                        .append(",\"opens\":").append(s.opens()).append(",\"locks\":").append(s.locks())
                        .append(",\"delegations\":").append(s.delegations()).append('}');
            }
            return b.append(']').toString();
        }
    }

    @Command(name = "states", mixinStandardHelpOptions = true,
            description = "List a client's stateids: opens (access, deny, owner), lock states (ranges held), "
                    + "delegations (type, recall state). Exit 1 if the server has no such client.")
    static final class States implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "<client>", description = "The client id as jnfsd clients shows it (16 hex digits).")
        String client;

        @Option(names = "--json", description = "One JSON array instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Long id = clientId("states", client, err);
            if (id == null) {
                return 2;
            }
            try {
                List<ClientAdmin.StateEntry> entries = AdminClient.states(target.address(), id);
                if (entries == null) {
                    return fail(err, "jnfsd states: no live client " + client, 1);
                }
                out.println(json ? json(entries) : table(entries));
                out.flush();
                return 0;
            } catch (IOException e) {
                return fail(err, "jnfsd states: " + e.getMessage(), 1);
            }
        }

        static String table(List<ClientAdmin.StateEntry> entries) {
            StringBuilder b = new StringBuilder(String.format("%-10s %-35s %-40s %s", "KIND", "STATEID", "FILE", "DETAIL"));
            for (ClientAdmin.StateEntry e : entries) {
                b.append('\n').append(String.format("%-10s %-35s %-40s %s", e.kind(), e.stateId(), e.file(), e.detail()));
            }
            return b.toString();
        }

        static String json(List<ClientAdmin.StateEntry> entries) {
            StringBuilder b = new StringBuilder("[");
            for (ClientAdmin.StateEntry e : entries) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append("{\"kind\":").append(Json.quote(e.kind())).append(",\"stateid\":").append(Json.quote(e.stateId()))
                        .append(",\"file\":").append(Json.quote(e.file())).append(",\"detail\":")
                        .append(Json.quote(e.detail())).append('}');
            }
            return b.append(']').toString();
        }
    }

    @Command(name = "inject", mixinStandardHelpOptions = true,
            description = "Inject a fault through the server's real code paths (the server must run with "
                    + "--allow-fault-injection): recall CLIENT|FILE starts the recall of those delegations; "
                    + "revoke CLIENT|FILE revokes them now; callback-delay MS delays every callback from now on "
                    + "(0: off); drop-backchannel CLIENT closes the connections carrying its back channel. "
                    + "CLIENT as jnfsd clients shows it, FILE as jnfsd states shows it. Exit 0 when done, 1 when "
                    + "refused or nothing matched the target, 2 on a bad argument.")
    static final class Inject implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "<fault>", description = "recall, revoke, callback-delay or drop-backchannel.")
        String fault;

        @Parameters(index = "1", paramLabel = "<target>", description = "A client id, a file, or milliseconds.")
        String on;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                FaultInjector.Outcome o = AdminClient.inject(target.address(), fault, on);
                switch (o.result()) {
                    case DONE -> {
                        out.println(o.message());
                        out.flush();
                        return 0;
                    }
                    case BAD_ARGUMENT -> {
                        return fail(err, "jnfsd inject: " + o.message(), 2);
                    }
                    default -> {
                        return fail(err, "jnfsd inject: " + o.message(), 1);
                    }
                }
            } catch (IOException e) {
                return fail(err, "jnfsd inject: " + e.getMessage(), 1);
            }
        }
    }

    /** Prints the one line an admin command fails with, and gives its exit status. */
    static int fail(PrintWriter err, String line, int status) {
        err.println(line);
        err.flush();
        return status;
    }

    /** {@code text} as a client id (16 hex digits), or null after one line on {@code err}. */
    static Long clientId(String command, String text, PrintWriter err) {
        try {
            return Long.parseUnsignedLong(text, 16);
        } catch (NumberFormatException e) {
            fail(err, "jnfsd " + command + ": " + text + " is not a client id (16 hex digits, as jnfsd clients shows)", 2);
            return null;
        }
    }

    @Command(name = "evict", mixinStandardHelpOptions = true,
            description = "Expire a client now and release its state through the normal teardown (its next request "
                    + "gets NFS4ERR_BADSESSION and it recovers). Exit 0 when torn down or expiring, 1 if unknown.")
    static final class Evict implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "<client>", description = "The client id as jnfsd clients shows it (16 hex digits).")
        String client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Long id = clientId("evict", client, err);
            if (id == null) {
                return 2;
            }
            try {
                ClientAdmin.Eviction e = AdminClient.evict(target.address(), id);
                switch (e.result()) {
                    case TORN_DOWN -> out.println("client " + client + " evicted: released " + e.opens() + " opens, "
                            + e.locks() + " lock states, " + e.delegations() + " delegations");
                    case EXPIRING -> out.println("client " + client + " expiring: torn down when its requests in flight end");
                    case UNKNOWN -> {
                        return fail(err, "jnfsd evict: no live client " + client, 1);
                    }
                }
                out.flush();
                return 0;
            } catch (IOException e) {
                return fail(err, "jnfsd evict: " + e.getMessage(), 1);
            }
        }
    }

    @Command(name = "exportfs", mixinStandardHelpOptions = true,
            description = "Print the exports in force, every option explicit (as exportfs -v); with -r, make the server "
                    + "re-read its exports file first (as SIGHUP). Exit 1 when the file has an error: nothing changed.")
    static final class Exportfs implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "-r", description = "Re-read the exports file (jnfsd serve --exports) before printing.")
        boolean reload;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (reload) {
                    AdminClient.ReloadOutcome o = AdminClient.reloadExports(target.address());
                    if (!o.ok()) {
                        err.println("jnfsd exportfs -r: nothing changed: " + o.message());
                        err.flush();
                        return 1;
                    }
                    err.println("jnfsd exportfs -r: " + o.message());
                    err.flush();
                }
                out.print(AdminClient.exports(target.address()));
                out.flush();
                return 0;
            } catch (IOException e) {
                err.println("jnfsd exportfs: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }
}

package org.jnfsd.server.admin;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.lease.ClientAdmin;
import org.jnfsd.core.metrics.OpMetrics;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;
import org.jnfsd.rpc.AcceptStat;
import org.jnfsd.rpc.RpcCall;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.rpc.RpcProgram;

/**
 * jnfsd's own administration program, served on the NFS port beside NFS itself, for
 * {@code jnfsd stats|clients|states|evict} and the end-to-end tests. Answers only callers on a loopback
 * address; to anyone else the program does not exist (PROG_UNAVAIL). EVICT is logged by
 * {@link ClientAdmin}. Stateless and thread-safe.
 *
 * <pre>
 *   program JNFSD_ADMIN 0x2004E4F5, version 1:
 *     0 NULL
 *     1 STATS   (void) → counter_entry&lt;&gt;   counter_entry { string name&lt;256&gt;; hyper value; }
 *     2 CLIENTS (void) → client_entry&lt;&gt;    client_entry { hyper id; string state; string address;
 *                                               int minor; string owner; string impl; hyper lease_left_ms;
 *                                               int sessions; string callback; int opens; int locks;
 *                                               int delegations; }
 *     3 EVICT   (hyper id) → { int result (0 TORN_DOWN, 1 EXPIRING, 2 UNKNOWN); int opens; int locks;
 *                              int delegations; }
 *     4 STATES  (hyper id) → { bool known; state_entry&lt;&gt; }   state_entry { string kind; string stateid;
 *                                                              string file; string detail; }
 *     5 OPS     (void) → op_entry&lt;&gt;     op_entry { string op; hyper calls; hyper errors; hyper mean_ns; }
 *     6 INJECT  (string fault; string target) → { int result (0 DONE, 1 NOT_ALLOWED, 2 NO_SUCH_TARGET,
 *                                                 3 BAD_ARGUMENT); int count; string message; }
 * </pre>
 */
public final class AdminProgram implements RpcProgram {
    public static final int PROGRAM = 0x2004E4F5;
    public static final int VERSION = 1;
    public static final int PROC_STATS = 1;
    public static final int PROC_CLIENTS = 2;
    public static final int PROC_EVICT = 3;
    public static final int PROC_STATES = 4;
    public static final int PROC_OPS = 5;
    public static final int PROC_INJECT = 6;
    /** The exports in force, printed as an exports file with every option ({@code jnfsd exportfs}). */
    public static final int PROC_EXPORTS = 7;
    /** Re-reads the exports file: (ok, message) ({@code jnfsd exportfs -r}). */
    public static final int PROC_EXPORTS_RELOAD = 8;

    private final ServerContext server;
    private final ServerCounters counters;
    private final ClientAdmin clients;
    private final FaultInjector faults;

    /** The admin program with fault injection off. */
    public AdminProgram(ServerContext server) {
        this(server, new FaultInjector(server, false));
    }

    public AdminProgram(ServerContext server, FaultInjector faults) {
        this.server = server;
        this.counters = server.counters();
        this.clients = new ClientAdmin(server);
        this.faults = faults;
    }

    @Override
    public int program() {
        return PROGRAM;
    }

    @Override
    public int minVersion() {
        return VERSION;
    }

    @Override
    public int maxVersion() {
        return VERSION;
    }

    @Override
    public void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException {
        InetAddress peer = call.connection().remoteAddress().getAddress();
        if (peer == null || !peer.isLoopbackAddress()) {
            throw new RpcException(AcceptStat.PROG_UNAVAIL, "admin program from non-loopback " + peer);
        }
        switch (call.procedure()) {
            case PROC_STATS -> {
                Map<String, Long> snapshot = counters.snapshot();
                results.writeInt(snapshot.size());
                snapshot.forEach((name, value) -> results.writeUtf8(name).writeLong(value));
            }
            case PROC_CLIENTS -> {
                List<ClientAdmin.Summary> all = clients.clients();
                results.writeInt(all.size());
                for (ClientAdmin.Summary s : all) {
                    results.writeLong(s.clientId()).writeUtf8(s.state()).writeUtf8(s.info().address())
                            .writeInt(s.info().minorVersion()).writeUtf8(s.info().owner())
                            .writeUtf8(s.info().implementation()).writeLong(s.leaseLeftMillis())
                            .writeInt(s.sessions()).writeUtf8(s.callback()).writeInt(s.opens()).writeInt(s.locks())
                            .writeInt(s.delegations());
                }
            }
            case PROC_EVICT -> {
                ClientAdmin.Eviction e = clients.evict(readClientId(args, "EVICT"));
                results.writeInt(e.result().ordinal()).writeInt(e.opens()).writeInt(e.locks()).writeInt(e.delegations());
            }
            case PROC_INJECT -> {
                String fault;
                String target;
                try {
                    fault = args.readUtf8(64);
                    target = args.readUtf8(1024);
                } catch (XdrException e) {
                    throw new RpcException(AcceptStat.GARBAGE_ARGS, "INJECT: " + e.getMessage());
                }
                FaultInjector.Outcome o = faults.inject(fault, target);
                results.writeInt(o.result().ordinal()).writeInt(o.count()).writeUtf8(o.message());
            }
            case PROC_OPS -> {
                List<OpMetrics.OpSummary> ops = counters.ops().summary();
                results.writeInt(ops.size());
                for (OpMetrics.OpSummary o : ops) {
                    results.writeUtf8(o.op()).writeLong(o.calls()).writeLong(o.errors()).writeLong(o.meanNanos());
                }
            }
            case PROC_STATES -> {
                List<ClientAdmin.StateEntry> entries = clients.states(readClientId(args, "STATES"));
                results.writeBool(entries != null);
                List<ClientAdmin.StateEntry> all = entries == null ? List.of() : entries;
                results.writeInt(all.size());
                for (ClientAdmin.StateEntry e : all) {
                    results.writeUtf8(e.kind()).writeUtf8(e.stateId()).writeUtf8(e.file()).writeUtf8(e.detail());
                }
            }
            case PROC_EXPORTS -> results.writeUtf8(org.jnfsd.core.fs.ExportsFile.print(server.exports().lines()));
            case PROC_EXPORTS_RELOAD -> {
                String message;
                boolean ok;
                try {
                    message = server.exportsReloader().reload();
                    ok = true;
                } catch (Exception e) {
                    message = e.getMessage();
                    ok = false;
                }
                results.writeBool(ok).writeUtf8(message == null ? "" : message);
            }
            default -> throw new RpcException(AcceptStat.PROC_UNAVAIL, "admin procedure " + call.procedure());
        }
    }

    private static long readClientId(XdrDecoder args, String procedure) throws RpcException {
        try {
            return args.readLong();
        } catch (XdrException e) {
            throw new RpcException(AcceptStat.GARBAGE_ARGS, procedure + ": " + e.getMessage());
        }
    }
}

package org.jnfsd.server.admin;

import java.net.InetAddress;
import java.util.Map;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.AcceptStat;
import org.jnfsd.rpc.RpcCall;
import org.jnfsd.rpc.RpcException;
import org.jnfsd.rpc.RpcProgram;

/**
 * jnfsd's own read-only administration program, served on the NFS port beside NFS itself, for
 * {@code jnfsd stats} and the end-to-end tests. Answers only callers on a loopback address; to
 * anyone else the program does not exist (PROG_UNAVAIL). Stateless and thread-safe.
 *
 * <pre>
 *   program JNFSD_ADMIN 0x2004E4F5, version 1:
 *     0 NULL
 *     1 STATS  (void) → counter_entry&lt;&gt;   with counter_entry { string name&lt;256&gt;; hyper value; }
 * </pre>
 */
public final class AdminProgram implements RpcProgram {
    public static final int PROGRAM = 0x2004E4F5;
    public static final int VERSION = 1;
    public static final int PROC_STATS = 1;

    private final ServerCounters counters;

    public AdminProgram(ServerCounters counters) {
        this.counters = counters;
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
        if (call.procedure() != PROC_STATS) {
            throw new RpcException(AcceptStat.PROC_UNAVAIL, "admin procedure " + call.procedure());
        }
        Map<String, Long> snapshot = counters.snapshot();
        results.writeInt(snapshot.size());
        snapshot.forEach((name, value) -> results.writeUtf8(name).writeLong(value));
    }
}

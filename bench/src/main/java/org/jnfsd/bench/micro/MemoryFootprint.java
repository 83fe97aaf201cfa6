package org.jnfsd.bench.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ChannelDirection;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.vfs.Inode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 3's memory figures: retained heap per idle client (a confirmed client record with one
 * session of {@code slots} slots and no cached replies, as after EXCHANGE_ID + CREATE_SESSION) and
 * per open stateid (one OPEN of a distinct file by one of a few owners of one client), measured as
 * the growth of the used heap after full GCs over {@code count} of each. Run with a fixed heap and
 * a single GC for stable figures: {@code bench/run memory} does ({@code -Xms2g -Xmx2g}).
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Measure heap bytes per idle client and per open stateid.")
public final class MemoryFootprint implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "100000", description = "clients and opens to create")
    int count;

    @Option(names = "--slots", defaultValue = "64", description = "fore-channel slots per session (Linux asks 64)")
    int slots;

    /** The measured figures. */
    public record Figures(int count, double bytesPerIdleClient, double bytesPerOpen) {
    }

    @Option(names = "--nfs40", description = "measure NFSv4.0 client records and open-owners instead (its own run: "
            + "one measurement's garbage skews the next one's in the same JVM)")
    boolean nfs40;

    @Override
    public Integer call() throws NfsException {
        if (nfs40) {
            V40Figures v40 = measureV40(count);
            System.out.println(String.format(Locale.ROOT, "idle NFSv4.0 client (SETCLIENTID, confirmed): %.0f bytes each "
                    + "over %d", v40.bytesPerIdleClient(), count));
            System.out.println(String.format(Locale.ROOT,
                    "NFSv4.0 open-owner (seqid and its last %d-byte OPEN reply): %.0f bytes each over %d",
                    V40_OPEN_REPLY_BYTES, v40.bytesPerOpenOwner(), count));
            System.out.println(String.format(Locale.ROOT, "NFSv4.0 callback channel before its first dial: %.0f bytes "
                    + "each over %d", measureV40Channels(count), count));
            return 0;
        }
        Figures f = measure(count, slots);
        System.out.println(String.format(Locale.ROOT, "idle client (1 session, %d slots): %.0f bytes each over %d",
                slots, f.bytesPerIdleClient(), count));
        System.out.println(String.format(Locale.ROOT, "open stateid: %.0f bytes each over %d", f.bytesPerOpen(), count));
        return 0;
    }

    /**
     * Heap bytes per 4.0 client's callback channel as SETCLIENTID_CONFIRM leaves it before the first
     * dial: the {@code CallbackChannel}, its 4.0 path and transport, and the queued CB_NULL probe
     * (run by an executor that keeps it, so nothing is dialled). The connection, once dialled, adds
     * a Netty channel on top. One {@code CallbackService}, as in a server.
     */
    static double measureV40Channels(int count) throws NfsException {
        ServerConfig config = ServerConfig.builder().maxClients(Math.max(count, 1)).build();
        SessionManager sessions = new SessionManager(config, Clock.systemUTC());
        org.jnfsd.protocol.nfs4.v40.CallbackClient cb = new org.jnfsd.protocol.nfs4.v40.CallbackClient(0x40000000,
                new org.jnfsd.protocol.nfs4.v40.NetAddr("tcp", "10.77.0.2.3.232"));
        List<org.jnfsd.core.session.ClientRecord> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] owner = ("Linux NFSv4.0 client-" + i + ".example.org").getBytes(StandardCharsets.UTF_8);
            var set = sessions.setClientId(owner, ByteBuffer.allocate(8).putLong(i).array(), Principal.NONE, cb, 1);
            sessions.confirmClientId(set.client().id().value(), set.confirm(), Principal.NONE);
            clients.add(set.client());
        }
        List<Runnable> kept = new ArrayList<>(count);
        org.jnfsd.core.callback.CallbackService service = new org.jnfsd.core.callback.CallbackService(kept::add,
                (task, delay) -> () -> { }, Clock.systemUTC(), org.jnfsd.core.callback.CallbackChannel.Settings.DEFAULT);
        java.net.InetAddress source;
        try {
            source = java.net.InetAddress.getByAddress(new byte[] {10, 77, 0, 2});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        try {
            long before = usedHeap();
            for (org.jnfsd.core.session.ClientRecord c : clients) {
                service.v40CallbackConfirmed(c, cb, 1, source);
            }
            long after = usedHeap();
            if (kept.size() != count) {
                throw new IllegalStateException(kept.size() + " probes queued, expected " + count);
            }
            java.lang.ref.Reference.reachabilityFence(sessions);
            java.lang.ref.Reference.reachabilityFence(kept);
            return (double) (after - before) / count;
        } finally {
            service.close();
        }
    }

    /** The size of an OPEN4res without delegation: status, stateid, change_info4, rflags, a 2-word attrset, delegation type. */
    static final int V40_OPEN_REPLY_BYTES = 4 + 16 + 20 + 4 + 12 + 4;

    /** The NFSv4.0 figures: a confirmed client record without state, and one open-owner's sequence. */
    public record V40Figures(int count, double bytesPerIdleClient, double bytesPerOpenOwner) {
    }

    static V40Figures measureV40(int count) throws NfsException {
        ServerConfig config = ServerConfig.builder().maxClients(Math.max(count, 1)).build();
        SessionManager sessions = new SessionManager(config, Clock.systemUTC());
        org.jnfsd.protocol.nfs4.v40.CallbackClient cb = new org.jnfsd.protocol.nfs4.v40.CallbackClient(0x40000000,
                new org.jnfsd.protocol.nfs4.v40.NetAddr("tcp", "10.77.0.2.3.232"));
        long before = usedHeap();
        for (int i = 0; i < count; i++) {
            byte[] owner = ("Linux NFSv4.0 client-" + i + ".example.org").getBytes(StandardCharsets.UTF_8);
            byte[] verifier = ByteBuffer.allocate(8).putLong(i).array();
            var set = sessions.setClientId(owner, verifier, Principal.NONE, cb, 1);
            sessions.confirmClientId(set.client().id().value(), set.confirm(), Principal.NONE);
        }
        long withClients = usedHeap();
        if (sessions.clients().size() != count) {
            throw new IllegalStateException(sessions.clients().size() + " clients, expected " + count);
        }
        org.jnfsd.core.state.V40Owners owners = new org.jnfsd.core.state.V40Owners(Clock.systemUTC(),
                java.time.Duration.ofSeconds(90));
        long beforeOwners = usedHeap();
        for (int i = 0; i < count; i++) {
            // as the Linux client names open-owners: "open id:" and a counter
            byte[] owner = ("open id:" + i).getBytes(StandardCharsets.UTF_8);
            owners.begin(org.jnfsd.core.state.V40Owners.Key.of(1, org.jnfsd.core.state.V40Owners.Kind.OPEN, owner), 1)
                    .finish(org.jnfsd.protocol.nfs4.NfsStatus.NFS4_OK, new byte[V40_OPEN_REPLY_BYTES], null);
        }
        long withOwners = usedHeap();
        if (owners.size() != count) {
            throw new IllegalStateException(owners.size() + " owners, expected " + count);
        }
        java.lang.ref.Reference.reachabilityFence(sessions);
        java.lang.ref.Reference.reachabilityFence(owners);
        return new V40Figures(count, (double) (withClients - before) / count, (double) (withOwners - beforeOwners) / count);
    }

    static Figures measure(int count, int slots) throws NfsException {
        ServerConfig config = ServerConfig.builder().maxSlots(Math.max(slots, 1)).maxClients(Math.max(count, 1)).build();
        SessionManager sessions = new SessionManager(config, Clock.systemUTC());
        // the connections are bench doubles (tens of bytes each), kept in their own list and
        // measured apart so they are subtracted from the clients' figure
        List<RpcConnection> conns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            conns.add(EngineFixture.fakeConnection(i));
        }
        long withConns = usedHeap();
        ChannelAttrs fore = new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * 1024, 16, slots, null);
        ChannelAttrs back = new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null);
        for (int i = 0; i < count; i++) {
            byte[] owner = ("Linux NFSv4.2 client-" + i + ".example.org").getBytes(StandardCharsets.UTF_8);
            byte[] verifier = ByteBuffer.allocate(8).putLong(i).array();
            ClientRecord c = sessions.exchangeId(owner, verifier, Principal.NONE, false).client();
            sessions.createSession(c, Principal.NONE, fore, back, 0, 0x40000000,
                    List.of(CallbackSecParms.None.INSTANCE), conns.get(i), ChannelDirection.FORE);
        }
        long withClients = usedHeap();
        if (sessions.clients().size() != count) {
            throw new IllegalStateException(sessions.clients().size() + " clients, expected " + count);
        }

        OpenStates opens = new OpenStates(config, Clock.systemUTC());
        long beforeOpens = usedHeap();
        for (int i = 0; i < count; i++) {
            FileHandle f = new FileHandle(1, new Inode(ByteBuffer.allocate(8).putLong(i).array()));
            OpenOwner owner = new OpenOwner(1, ("open-id:" + i % 16).getBytes(StandardCharsets.UTF_8));
            opens.open(1, owner, f, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE);
        }
        long withOpens = usedHeap();
        if (opens.openCount(1) != count) {
            throw new IllegalStateException(opens.openCount(1) + " opens, expected " + count);
        }
        // keep everything reachable until the last measurement
        java.lang.ref.Reference.reachabilityFence(sessions);
        java.lang.ref.Reference.reachabilityFence(conns);
        java.lang.ref.Reference.reachabilityFence(opens);
        return new Figures(count, (double) (withClients - withConns) / count, (double) (withOpens - beforeOpens) / count);
    }

    private static long usedHeap() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        long used = 0;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = m.getHeapMemoryUsage().getUsed();
        }
        return used;
    }
}

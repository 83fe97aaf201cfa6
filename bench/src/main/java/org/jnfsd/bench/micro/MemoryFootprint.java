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

    @Override
    public Integer call() throws NfsException {
        Figures f = measure(count, slots);
        System.out.println(String.format(Locale.ROOT, "idle client (1 session, %d slots): %.0f bytes each over %d",
                slots, f.bytesPerIdleClient(), count));
        System.out.println(String.format(Locale.ROOT, "open stateid: %.0f bytes each over %d", f.bytesPerOpen(), count));
        return 0;
    }

    static Figures measure(int count, int slots) throws NfsException {
        ServerConfig config = ServerConfig.builder().maxSlots(Math.max(slots, 1)).build();
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

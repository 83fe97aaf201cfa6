package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code jnfsd clients}, {@code jnfsd states} and {@code jnfsd evict} over TCP against a server a Java client holds state on. */
class AdminCommandsTest {
    private static final Credential ROOT = new Credential.AuthSys(0, "admin-test", 0, 0, new int[0]);

    @Test
    void clientsThenEvict_listsTheClientWithItsOpen_evictReleasesIt_clientGetsBadSession() throws Exception {
        try (JnfsdServer server = JnfsdServer.builder()
                .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC(),
                        MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0))))
                .port(0).build()) {
            InetSocketAddress nfs = server.start();
            String port = "" + nfs.getPort();
            try (NfsClient client = NfsClient.connect(nfs, 2, ROOT, List.of(),
                    "Linux NFSv4.2 guest".getBytes(StandardCharsets.US_ASCII), new byte[8])) {
                client.reclaimComplete();
                OpenArgs open = new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                        new OpenOwner(client.clientId(), "o".getBytes(StandardCharsets.UTF_8)),
                        new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null("held"));
                LockArgs lock = new LockArgs(LockType.WRITE_LT, false, 0, 100, new Locker.NewOwner(0, StateId.CURRENT, 0,
                        new OpenOwner(0, "lk".getBytes(StandardCharsets.UTF_8))));
                assertThat(client.compound(new VoidArgs(Opcode.PUTROOTFH), open, lock).status())
                        .isEqualTo(NfsStatus.NFS4_OK);
                String id = String.format("%016x", client.clientId());
                String address = "127.0.0.1:" + client.connection().localAddress().getPort();

                Run table = run("clients", "--port", port);
                assertThat(table.rc).isZero();
                assertThat(table.out.lines()).hasSize(2);
                assertThat(table.out.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                        .startsWith(id, "ACTIVE", address, "4.2")
                        .contains("Linux", "NFSv4.2", "guest");
                assertThat(table.out).contains(" 1     1     0  Linux NFSv4.2 guest");

                Run states = run("states", "--port", port, id);
                assertThat(states.rc).isZero();
                List<String> rows = states.out.lines().skip(1).toList();
                assertThat(rows).hasSize(2);
                assertThat(rows.get(0)).startsWith("OPEN ").endsWith(" access=BOTH deny=NONE owner=o");
                assertThat(rows.get(1)).startsWith("LOCK ").endsWith(" WRITE 0-99 owner=lk");
                assertThat(rows.get(0).split("\\s+")[2]).as("the open's file").isEqualTo(rows.get(1).split("\\s+")[2]);
                Run statesJson = run("states", "--port", port, "--json", id);
                assertThat(statesJson.out.strip()).startsWith("[{\"kind\":\"OPEN\",\"stateid\":\"")
                        .contains("\"detail\":\"WRITE 0-99 owner=lk\"}]");

                Run json = run("clients", "--port", port, "--json");
                assertThat(json.out.strip()).startsWith("[{\"id\":\"" + id + "\",\"state\":\"ACTIVE\",\"address\":\""
                        + address + "\",\"minorVersion\":2,\"owner\":\"Linux NFSv4.2 guest\"")
                        .contains("\"sessions\":1,").contains("\"opens\":1,\"locks\":1,\"delegations\":0}]");

                Run ops = run("stats", "--ops", "--port", port);
                assertThat(ops.rc).isZero();
                List<String> opRows = ops.out.lines().toList();
                assertThat(opRows.getFirst().split("\\s+")).startsWith("OPERATION", "CALLS", "%", "ERRORS");
                // EXCHANGE_ID, CREATE_SESSION, then RECLAIM_COMPLETE's compound and the open+lock one (2 SEQUENCEs)
                assertThat(opRows).anySatisfy(r -> assertThat(r.split("\\s+")).startsWith("SEQUENCE", "2"))
                        .anySatisfy(r -> assertThat(r.split("\\s+")).startsWith("OPEN", "1", "12.5%", "0"))
                        .anySatisfy(r -> assertThat(r.split("\\s+")).startsWith("LOCK", "1"));
                assertThat(opRows.getLast().split("\\s+")).startsWith("total", "8", "100.0%", "0");
                assertThat(opRows.get(1)).as("busiest first").startsWith("SEQUENCE");

                Run evict = run("evict", "--port", port, id);
                assertThat(evict.rc).isZero();
                assertThat(evict.out.strip())
                        .isEqualTo("client " + id + " evicted: released 1 opens, 1 lock states, 0 delegations");
                assertThat(run("states", "--port", port, id).rc).as("states of an evicted client").isEqualTo(1);
                assertThat(server.context().opens().openCount(client.clientId())).isZero();
                CompoundReply next = client.compound(new VoidArgs(Opcode.PUTROOTFH));
                assertThat(next.status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
                assertThat(run("clients", "--port", port).out.lines()).hasSize(1);

                Run again = run("evict", "--port", port, id);
                assertThat(again.rc).isEqualTo(1);
                assertThat(again.err.strip()).isEqualTo("jnfsd evict: no live client " + id);
            }
        }
    }

    @Test
    void evict_notAnId_exit2OneLine() {
        Run r = run("evict", "--port", "1", "xyz");
        assertThat(r.rc).isEqualTo(2);
        assertThat(r.err.lines()).singleElement().asString().startsWith("jnfsd evict: xyz is not a client id");
    }

    private record Run(int rc, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int rc = cmd.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }
}

package org.jnfsd.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The e2e tool nfs-write against a real server over TCP: writes, and retries OPEN on NFS4ERR_DELAY, bounded. */
class NfsWriteTest {
    private static final long HOLDER = 0x7777;
    private final MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(),
            MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
    private JnfsdServer server;
    private InetSocketAddress address;
    private Inode file;

    @BeforeEach
    void start() throws Exception {
        Inode dir = fs.mkdir(fs.root(), "d", new SetAttributes(0755, 0, 0, null, null, null));
        file = fs.createFile(dir, "f", new SetAttributes(0644, 0, 0, null, null, null), true);
        server = JnfsdServer.builder()
                .export(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))
                .config(ServerConfig.builder().maxDelegations(10).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String content() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64);
        fs.read(file, 0, b);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void main_existingFile_truncatedAndWrittenExit0() throws Exception {
        fs.write(file, 0, ByteBuffer.wrap("old content, longer".getBytes(StandardCharsets.UTF_8)), Stability.FILE_SYNC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int rc = new CommandLine(new NfsWrite(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute("--port", Integer.toString(address.getPort()), "--path", "/d/f", "--data", "new");

        assertThat(rc).isZero();
        assertThat(content()).isEqualTo("new");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("opened after 0 NFS4ERR_DELAY answers, wrote 3 bytes");
    }

    @Test
    void write_delegationHeldByAnother_retriesDelayBoundedThenSucceedsOnceReturned() throws Exception {
        FileHandle fh = new FileHandle(1, file);
        Delegation d = server.context().delegations().grantRead(HOLDER, fh).delegation();
        NfsWrite tool = new CommandLine(new NfsWrite()).parseArgs("--path", "/d/f", "--data", "x")
                .commandSpec().commandLine().getCommand();
        Credential root = new Credential.AuthSys(0, "t", 0, 0, new int[0]);

        try (NfsClient c = NfsClient.connect(address, 2, root)) {
            c.reclaimComplete();
            NfsWrite.Result refused = tool.write(c, 2, 0);
            assertThat(refused).isEqualTo(new NfsWrite.Result(NfsStatus.NFS4ERR_DELAY, 2));
            assertThat(d.state()).isEqualTo(Delegation.State.RECALLING);

            assertThat(server.context().delegations().delegReturn(HOLDER, fh, d.stateId())).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(tool.write(c, 2, 0)).isEqualTo(new NfsWrite.Result(NfsStatus.NFS4_OK, 0));
        }
        assertThat(content()).isEqualTo("x");
    }
}

package org.jnfsd.client.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nfs-write}: opens an existing file for writing through NFSv4.1/4.2 (OPEN with UNCHECKED4
 * and size 0, so it is truncated), retrying the OPEN while the server answers NFS4ERR_DELAY (another
 * client's delegation being recalled), then writes the given bytes FILE_SYNC and closes. For
 * end-to-end scripts (e2e/delegation-recall.sh); the client has no backchannel, so it never gets a
 * delegation itself.
 *
 * <pre>
 *   java -cp client.jar:lib/* org.jnfsd.client.cli.NfsWrite --port 2049 --path /dir/file --data hello
 * </pre>
 *
 * Exit status 0 when written; 1 when the server refused (the status is printed), the DELAY retries
 * ran out, or the connection failed.
 */
@Command(name = "nfs-write", mixinStandardHelpOptions = true,
        description = "Open an existing file for writing over NFSv4.1/4.2 (retrying NFS4ERR_DELAY), write, close.")
public final class NfsWrite implements Callable<Integer> {
    private static final int FATTR4_SIZE = 4;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "2049", description = "Server TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--minor", defaultValue = "2", description = "NFSv4 minor version, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int minor;

    @Option(names = "--path", required = true, description = "The file, from the export root, e.g. /dir/file.")
    String path;

    @Option(names = "--data", required = true, description = "What to write (UTF-8), replacing the content.")
    String data;

    @Option(names = "--uid", defaultValue = "0", description = "AUTH_SYS uid (default: ${DEFAULT-VALUE}).")
    int uid;

    @Option(names = "--gid", defaultValue = "0", description = "AUTH_SYS gid (default: ${DEFAULT-VALUE}).")
    int gid;

    @Option(names = "--retries", defaultValue = "120",
            description = "Most OPEN retries after NFS4ERR_DELAY (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-ms", defaultValue = "500", description = "Pause between retries (default: ${DEFAULT-VALUE}).")
    long retryMillis;

    private final PrintStream out;

    public NfsWrite() {
        this(System.out);
    }

    NfsWrite(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NfsWrite()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Credential cred = new Credential.AuthSys(0, "nfs-write", uid, gid, new int[0]);
        try (NfsClient client = NfsClient.connect(new InetSocketAddress(host, port), minor, cred)) {
            client.reclaimComplete();
            Result r = write(client, retries, retryMillis);
            if (r.status() != NfsStatus.NFS4_OK) {
                out.println("nfs-write: " + path + ": " + r.status() + " after " + r.delays() + " NFS4ERR_DELAY answers");
                return 1;
            }
            out.println("nfs-write: " + path + ": opened after " + r.delays() + " NFS4ERR_DELAY answers, wrote "
                    + data.getBytes(StandardCharsets.UTF_8).length + " bytes");
            client.destroy();
            return 0;
        }
    }

    /** How the write went: OK, or the status that stopped it; and how many OPENs were answered DELAY. */
    record Result(NfsStatus status, int delays) {}

    /** Opens (retrying DELAY at most {@code maxRetries} times, {@code pauseMillis} apart), writes, closes. */
    Result write(NfsClient client, int maxRetries, long pauseMillis) throws IOException, InterruptedException {
        OpenOwner owner = new OpenOwner(client.clientId(), "nfs-write".getBytes(StandardCharsets.UTF_8));
        Fattr4 truncate = new Fattr4(new int[] {1 << FATTR4_SIZE}, ByteBuffer.allocate(8).putLong(0).array());
        OpenArgs open = new OpenArgs(0, ShareAccess.ACCESS_WRITE | ShareAccess.WANT_NO_DELEG, ShareAccess.DENY_NONE,
                owner, new OpenHow.Unchecked(truncate), new OpenClaim.Null(name(path)));
        List<OpArgs> ops = lookupParent(path);
        ops.add(open);
        ops.add(new VoidArgs(Opcode.GETFH));
        int delays = 0;
        CompoundReply r;
        while (true) {
            r = client.compound(ops.toArray(OpArgs[]::new));
            if (r.status() != NfsStatus.NFS4ERR_DELAY || delays >= maxRetries) {
                break;
            }
            delays++;
            Thread.sleep(pauseMillis);
        }
        if (!r.status().isOk()) {
            return new Result(r.status(), delays);
        }
        int n = r.results().size();
        StateId stateId = r.result(n - 2, OpenResult.class).stateId();
        byte[] fh = r.result(n - 1, GetFhResult.class).fh();
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            CompoundReply w = client.compound(new PutFhArgs(fh),
                    new WriteArgs(stateId, 0, StableHow.FILE_SYNC4, buf), new CloseArgs(0, stateId));
            if (!w.status().isOk()) {
                return new Result(w.status(), delays);
            }
            if (w.result(2, WriteResult.class).count() != bytes.length) {
                throw new IOException("short WRITE: " + w.result(2, WriteResult.class).count() + " of " + bytes.length);
            }
        } finally {
            buf.release();
        }
        return new Result(NfsStatus.NFS4_OK, delays);
    }

    private static List<OpArgs> lookupParent(String path) {
        List<OpArgs> ops = new ArrayList<>();
        ops.add(new VoidArgs(Opcode.PUTROOTFH));
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (!parts[i].isEmpty()) {
                ops.add(LookupArgs.of(parts[i]));
            }
        }
        return ops;
    }

    private static String name(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(new NfsWrite()), "--path must name a file: " + path);
        }
        return name;
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;

/**
 * One test client ({@link NfsClient}: connection, client record, session) and the COMPOUNDs
 * tests use most, so that a test reads as its scenario. Methods named after a result check the
 * COMPOUND succeeded; {@link #call} and {@link #status} return errors for the test to check.
 * Thread-safe, as {@link NfsClient} is.
 */
final class Nfs implements AutoCloseable {
    static final OpArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    static final OpArgs PUTPUBFH = new VoidArgs(Opcode.PUTPUBFH);
    static final OpArgs GETFH = new VoidArgs(Opcode.GETFH);
    static final OpArgs SAVEFH = new VoidArgs(Opcode.SAVEFH);
    static final OpArgs RESTOREFH = new VoidArgs(Opcode.RESTOREFH);
    static final OpArgs LOOKUPP = new VoidArgs(Opcode.LOOKUPP);
    static final OpArgs READLINK = new VoidArgs(Opcode.READLINK);

    private final NfsClient client;
    private final AtomicLong owners = new AtomicLong();

    private Nfs(NfsClient client) {
        this.client = client;
    }

    static Nfs connect(InetSocketAddress address, int minorVersion, Credential cred) throws IOException {
        return connectFrom(null, address, minorVersion, cred);
    }

    /** As {@link #connect} from source address {@code source} (null: the system's choice). */
    static Nfs connectFrom(java.net.InetAddress source, InetSocketAddress address, int minorVersion, Credential cred)
            throws IOException {
        NfsClient c = source == null ? NfsClient.connect(address, minorVersion, cred)
                : NfsClient.connectFrom(source, address, minorVersion, cred);
        try {
            c.reclaimComplete();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new Nfs(c);
    }

    NfsClient client() {
        return client;
    }

    /** SEQUENCE + {@code ops} (OpArgs or OpArgs[] flattened); the reply, whatever its status. */
    CompoundReply call(Object... ops) throws IOException {
        return client.compound(flatten(ops));
    }

    NfsStatus status(Object... ops) throws IOException {
        return call(ops).status();
    }

    /** As {@link #call}, asserting the COMPOUND succeeded. */
    CompoundReply ok(Object... ops) throws IOException {
        CompoundReply r = call(ops);
        assertThat(r.status()).as("COMPOUND %s: %s", r.opcodes(), r.results()).isEqualTo(NfsStatus.NFS4_OK);
        return r;
    }

    /** The result of the last operation of a successful COMPOUND. */
    <T extends OpResult> T last(Class<T> type, Object... ops) throws IOException {
        CompoundReply r = ok(ops);
        return r.result(r.results().size() - 1, type);
    }

    static OpArgs[] flatten(Object... ops) {
        List<OpArgs> all = new ArrayList<>();
        for (Object o : ops) {
            switch (o) {
                case OpArgs a -> all.add(a);
                case OpArgs[] a -> all.addAll(Arrays.asList(a));
                case List<?> l -> l.forEach(x -> all.add((OpArgs) x));
                default -> throw new IllegalArgumentException("not an operation: " + o);
            }
        }
        return all.toArray(OpArgs[]::new);
    }

    /** PUTROOTFH and one LOOKUP per component of {@code path} ("/" or "" is the root). */
    static OpArgs[] path(String path) {
        List<OpArgs> ops = new ArrayList<>();
        ops.add(PUTROOTFH);
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                ops.add(LookupArgs.of(c));
            }
        }
        return ops.toArray(OpArgs[]::new);
    }

    static OpArgs[] parent(String path) {
        return Nfs.path(path.substring(0, Math.max(0, path.lastIndexOf('/'))));
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static PutFhArgs putfh(byte[] fh) {
        return new PutFhArgs(fh);
    }

    static GetattrArgs getattr(int... bits) {
        return new GetattrArgs(Bitmap.of(bits));
    }

    /** The handle of {@code path}. */
    byte[] fh(String path) throws IOException {
        return last(GetFhResult.class, path(path), GETFH).fh();
    }

    /** The attributes {@code bits} of the object {@code fh}, decoded. */
    Map<Integer, Object> attrs(byte[] fh, int... bits) throws IOException {
        return Fattr.decode(last(GetattrResult.class, putfh(fh), getattr(bits)).attrs());
    }

    /** A new open owner of this client, unique per call. */
    OpenOwner newOwner() {
        return new OpenOwner(client.clientId(),
                ("owner-" + owners.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
    }

    /** OPEN CLAIM_NULL of {@code name} in the current directory with {@code how}, for read and write. */
    OpenArgs open(String name, OpenHow how) {
        return new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE, newOwner(), how, new OpenClaim.Null(name));
    }

    /** Creates (or truncates) {@code path} with mode 0644 and {@code data}; returns its handle. */
    byte[] writeFile(String path, byte[] data) throws IOException {
        CompoundReply r = ok(parent(path),
                open(name(path), new OpenHow.Unchecked(Fattr.builder().size(0).mode(0644).build())), GETFH,
                new WriteArgs(StateId.CURRENT, 0, StableHow.FILE_SYNC4, Unpooled.wrappedBuffer(data)),
                new CloseArgs(0, StateId.CURRENT));
        int n = r.results().size();
        assertThat(r.result(n - 2, WriteResult.class).count()).isEqualTo(data.length);
        return r.result(n - 3, GetFhResult.class).fh();
    }

    /** Opens {@code fh} (CLAIM_FH) for read and write; returns the open stateid. */
    StateId openFh(byte[] fh) throws IOException {
        OpenArgs open = new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE, newOwner(),
                new OpenHow.NoCreate(), new OpenClaim.Fh());
        return last(OpenResult.class, putfh(fh), open).stateId();
    }

    /** The whole content of {@code fh}, read with the anonymous stateid in 1 MiB READs. */
    byte[] read(byte[] fh) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 1 << 16; i++) {
            ReadResult r = last(ReadResult.class, putfh(fh), new ReadArgs(StateId.ANONYMOUS, out.size(), 1 << 20));
            out.writeBytes(r.data());
            if (r.eof()) {
                return out.toByteArray();
            }
        }
        throw new AssertionError("no EOF after 64 Ki READs");
    }

    /** Creates directory {@code path} with {@code mode}; returns its handle. */
    byte[] mkdir(String path, int mode) throws IOException {
        return last(GetFhResult.class, parent(path), CreateArgs.directory(name(path), Fattr.mode(mode)), GETFH).fh();
    }

    @Override
    public void close() {
        client.close();
    }
}

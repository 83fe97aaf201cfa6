package org.jnfsd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.NfsStatusException;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;

/**
 * Helpers that build the COMPOUNDs of the workloads on one {@link NfsClient}, and check their
 * replies: any status but NFS4_OK throws {@link NfsStatusException}. Thread-safe (as the client).
 */
final class BenchSession {
    /** Attributes a client asks for on GETATTR (the Linux client's usual set). */
    static final int[] GETATTR_MASK = org.jnfsd.protocol.nfs4.Bitmap.of(
            1, 3, 4, 8, 20, 33, 35, 36, 37, 41, 45, 47, 52, 53, 55);
    /** mode 0644 (attribute 33), for files and directories the workloads create. */
    static final Fattr4 MODE_644 = new Fattr4(org.jnfsd.protocol.nfs4.Bitmap.of(33), new byte[] {0, 0, 1, (byte) 0xa4});
    static final Fattr4 MODE_755 = new Fattr4(org.jnfsd.protocol.nfs4.Bitmap.of(33), new byte[] {0, 0, 1, (byte) 0xed});

    /** An open file: its handle and open stateid. */
    record OpenFile(byte[] fh, StateId stateId) {
    }

    private final NfsClient client;

    BenchSession(NfsClient client) {
        this.client = client;
    }

    NfsClient client() {
        return client;
    }

    /** Sends SEQUENCE + {@code ops}; throws unless the COMPOUND status is NFS4_OK. */
    CompoundReply call(OpArgs... ops) throws IOException {
        CompoundReply r = client.compound(ops);
        if (r.status() != NfsStatus.NFS4_OK) {
            throw new NfsStatusException(r.status(), "COMPOUND " + r.opcodes());
        }
        return r;
    }

    static <T extends OpResult> T last(CompoundReply r, Class<T> type) {
        for (int i = r.results().size() - 1; i >= 0; i--) {
            if (type.isInstance(r.results().get(i))) {
                return type.cast(r.results().get(i));
            }
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " in " + r.opcodes());
    }

    /** The handle of {@code path} ("/a/b"), walked from the root. */
    byte[] resolve(String path) throws IOException {
        List<OpArgs> ops = new ArrayList<>();
        ops.add(VoidArgs.PUTROOTFH);
        for (String c : components(path)) {
            ops.add(LookupArgs.of(c));
        }
        ops.add(VoidArgs.GETFH);
        return last(call(ops.toArray(OpArgs[]::new)), GetFhResult.class).fh();
    }

    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Creates directory {@code name} in {@code dir}; returns its handle. */
    byte[] mkdir(byte[] dir, String name) throws IOException {
        return last(call(new PutFhArgs(dir), CreateArgs.directory(name, MODE_755), VoidArgs.GETFH),
                GetFhResult.class).fh();
    }

    /** OPEN (create unchecked, mode 0644) + GETFH of {@code name} in {@code dir}, for read and write. */
    OpenFile create(byte[] dir, String name, byte[] owner) throws IOException {
        return open(dir, name, owner, ShareAccess.ACCESS_BOTH, new OpenHow.Unchecked(MODE_644));
    }

    /** OPEN (no create) + GETFH of the existing {@code name} in {@code dir}. */
    OpenFile open(byte[] dir, String name, byte[] owner, int access) throws IOException {
        return open(dir, name, owner, access, new OpenHow.NoCreate());
    }

    private OpenFile open(byte[] dir, String name, byte[] owner, int access, OpenHow how) throws IOException {
        OpenArgs open = new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(client.clientId(), owner), how, new OpenClaim.Null(name));
        CompoundReply r = call(new PutFhArgs(dir), open, VoidArgs.GETFH);
        return new OpenFile(last(r, GetFhResult.class).fh(), last(r, OpenResult.class).stateId());
    }

    void close(OpenFile f) throws IOException {
        call(new PutFhArgs(f.fh()), new CloseArgs(0, f.stateId()));
    }

    static byte[] owner(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

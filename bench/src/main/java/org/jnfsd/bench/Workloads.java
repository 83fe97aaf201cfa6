package org.jnfsd.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.jnfsd.bench.BenchSession.OpenFile;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.ReadResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcReply;

/**
 * The workloads. Every run works in a fresh directory {@code jnfsd-bench-<uuid>} under the export
 * path, so runs never see each other's files.
 */
final class Workloads {
    private static final int CREATE_DIRS = 16;
    private static final int OPENCLOSE_FILES = 64;
    private static final int LOOKUP_DEPTH = 4;
    private static final Duration NULL_TIMEOUT = Duration.ofSeconds(30);

    private Workloads() {
    }

    /** Parameters every workload may use. */
    record Params(String path, int ioSize, long fileSize, int smallWrite) {
    }

    static Workload of(Workload.Kind kind, Params p) {
        return switch (kind) {
            case NULL -> throw new IllegalArgumentException("NULL has no session: use NullCall.worker");
            case GETATTR -> new Getattr(p);
            case LOOKUP -> new Lookup(p);
            case CREATE -> new Create(p);
            case READ -> new Read(p);
            case WRITE -> new Write(p);
            case OPENCLOSE -> new OpenClose(p);
        };
    }

    /** Creates the run's own directory under the export path; returns its handle. */
    private static byte[] runDir(BenchSession s, Params p) throws IOException {
        return s.mkdir(s.resolve(p.path()), "jnfsd-bench-" + UUID.randomUUID());
    }

    /** Writes {@code size} bytes to {@code f} in {@code ioSize} WRITEs, FILE_SYNC at the end by COMMIT. */
    private static void fill(BenchSession s, OpenFile f, long size, int ioSize) throws IOException {
        ByteBuf data = Unpooled.wrappedBuffer(pattern(ioSize));
        try {
            for (long off = 0; off < size; off += ioSize) {
                int n = (int) Math.min(ioSize, size - off);
                s.call(new PutFhArgs(f.fh()), new WriteArgs(f.stateId(), off, StableHow.UNSTABLE4, data.slice(0, n)));
            }
            s.call(new PutFhArgs(f.fh()), new CommitArgs(0, 0));
        } finally {
            data.release();
        }
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** The RPC NULL procedure on a plain RPC connection: no session, no COMPOUND. */
    static final class NullCall {
        private NullCall() {
        }

        static Workload.Worker worker(RpcConnection conn, Credential cred) {
            return () -> {
                RpcReply r;
                try {
                    r = conn.callAsync(NfsClient.NFS_PROGRAM, NfsClient.NFS_VERSION, 0, cred, out -> { }, NULL_TIMEOUT)
                            .toCompletableFuture().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("NULL call");
                } catch (ExecutionException e) {
                    throw new IOException("NULL call failed", e.getCause());
                }
                if (!r.isSuccess()) {
                    throw new IOException("NULL refused: " + r);
                }
                return 0;
            };
        }
    }

    /** SEQUENCE + PUTFH + GETATTR on one file. */
    static final class Getattr implements Workload {
        private final Params p;
        private volatile byte[] file;

        Getattr(Params p) {
            this.p = p;
        }

        @Override
        public void setup(BenchSession s) throws IOException {
            OpenFile f = s.create(runDir(s, p), "getattr", BenchSession.owner("setup"));
            s.close(f);
            file = f.fh();
        }

        @Override
        public Worker worker(BenchSession s, int index) {
            OpArgs[] ops = {new PutFhArgs(file), new GetattrArgs(BenchSession.GETATTR_MASK)};
            return () -> {
                s.call(ops);
                return 0;
            };
        }
    }

    /** PUTFH(run dir) + LOOKUP × 4 + GETATTR: a path walk of four components. */
    static final class Lookup implements Workload {
        private final Params p;
        private volatile byte[] dir;

        Lookup(Params p) {
            this.p = p;
        }

        @Override
        public void setup(BenchSession s) throws IOException {
            byte[] d = runDir(s, p);
            byte[] cur = d;
            for (int i = 1; i < LOOKUP_DEPTH; i++) {
                cur = s.mkdir(cur, "d" + i);
            }
            s.close(s.create(cur, "f", BenchSession.owner("setup")));
            dir = d;
        }

        @Override
        public Worker worker(BenchSession s, int index) {
            List<OpArgs> ops = new ArrayList<>();
            ops.add(new PutFhArgs(dir));
            for (int i = 1; i < LOOKUP_DEPTH; i++) {
                ops.add(LookupArgs.of("d" + i));
            }
            ops.add(LookupArgs.of("f"));
            ops.add(new GetattrArgs(BenchSession.GETATTR_MASK));
            OpArgs[] all = ops.toArray(OpArgs[]::new);
            return () -> {
                s.call(all);
                return 0;
            };
        }
    }

    /**
     * OPEN-create (+GETFH), then PUTFH + WRITE 4 KiB + CLOSE, in fresh files spread over 16
     * directories: two COMPOUNDs, as a kernel client sends them.
     */
    static final class Create implements Workload {
        private final Params p;
        private volatile byte[][] dirs;

        Create(Params p) {
            this.p = p;
        }

        @Override
        public void setup(BenchSession s) throws IOException {
            byte[] d = runDir(s, p);
            byte[][] all = new byte[CREATE_DIRS][];
            for (int i = 0; i < CREATE_DIRS; i++) {
                all[i] = s.mkdir(d, "c" + i);
            }
            dirs = all;
        }

        @Override
        public Worker worker(BenchSession s, int index) {
            byte[] owner = BenchSession.owner("create-" + index);
            ByteBuf data = Unpooled.wrappedBuffer(pattern(p.smallWrite()));
            return new Worker() {
                private long n;

                @Override
                public long op() throws IOException {
                    long i = n++;
                    byte[] dir = dirs[(int) ((i + index) % CREATE_DIRS)];
                    OpenFile f = s.create(dir, "w" + index + "-" + i, owner);
                    s.call(new PutFhArgs(f.fh()), new WriteArgs(f.stateId(), 0, StableHow.UNSTABLE4, data),
                            new org.jnfsd.protocol.nfs4.io.CloseArgs(0, f.stateId()));
                    return data.readableBytes();
                }

                @Override
                public void finish() {
                    data.release();
                }
            };
        }
    }

    /** Sequential READs of {@code ioSize} of one large file; each worker starts elsewhere in it. */
    static final class Read implements Workload {
        private final Params p;
        private volatile byte[] dir;

        Read(Params p) {
            this.p = p;
        }

        @Override
        public void setup(BenchSession s) throws IOException {
            byte[] d = runDir(s, p);
            OpenFile f = s.create(d, "big", BenchSession.owner("setup"));
            fill(s, f, p.fileSize(), p.ioSize());
            s.close(f);
            dir = d;
        }

        @Override
        public Worker worker(BenchSession s, int index) throws IOException {
            OpenFile f = s.open(dir, "big", BenchSession.owner("read-" + index), ShareAccess.ACCESS_READ);
            long chunks = Math.max(1, p.fileSize() / p.ioSize());
            return new Worker() {
                private long chunk = (index * 7L) % chunks;

                @Override
                public long op() throws IOException {
                    long off = (chunk++ % chunks) * p.ioSize();
                    ReadResult r = BenchSession.last(
                            s.call(new PutFhArgs(f.fh()), new ReadArgs(f.stateId(), off, p.ioSize())), ReadResult.class);
                    return r.length(); // not data(): a copy of 1 MiB per READ in the load generator
                }

                @Override
                public void finish() throws IOException {
                    s.close(f);
                }
            };
        }
    }

    /**
     * Sequential UNSTABLE WRITEs of {@code ioSize}, each worker to its own file; when a worker has
     * written {@code fileSize} bytes it COMMITs (inside that operation) and starts over at 0.
     */
    static final class Write implements Workload {
        private final Params p;
        private volatile byte[] dir;

        Write(Params p) {
            this.p = p;
        }

        @Override
        public void setup(BenchSession s) throws IOException {
            dir = runDir(s, p);
        }

        @Override
        public Worker worker(BenchSession s, int index) throws IOException {
            OpenFile f = s.create(dir, "w" + index, BenchSession.owner("write-" + index));
            ByteBuf data = Unpooled.wrappedBuffer(pattern(p.ioSize()));
            long chunks = Math.max(1, p.fileSize() / p.ioSize());
            return new Worker() {
                private long chunk;

                @Override
                public long op() throws IOException {
                    long off = chunk * p.ioSize();
                    WriteResult w = BenchSession.last(s.call(new PutFhArgs(f.fh()),
                            new WriteArgs(f.stateId(), off, StableHow.UNSTABLE4, data)), WriteResult.class);
                    if (++chunk == chunks) {
                        s.call(new PutFhArgs(f.fh()), new CommitArgs(0, 0));
                        chunk = 0;
                    }
                    return w.count();
                }

                @Override
                public void finish() throws IOException {
                    try {
                        s.call(new PutFhArgs(f.fh()), new CommitArgs(0, 0));
                        s.close(f);
                    } finally {
                        data.release();
                    }
                }
            };
        }
    }

    /** OPEN (read, no create) + GETFH, then PUTFH + CLOSE, over 64 existing files. */
    static final class OpenClose implements Workload {
        private final Params p;
        private volatile byte[] dir;

        OpenClose(Params p) {
            this.p = p;
        }

        @Override
        public void setup(BenchSession s) throws IOException {
            byte[] d = runDir(s, p);
            byte[] owner = BenchSession.owner("setup");
            for (int i = 0; i < OPENCLOSE_FILES; i++) {
                s.close(s.create(d, "o" + i, owner));
            }
            dir = d;
        }

        @Override
        public Worker worker(BenchSession s, int index) {
            byte[] owner = BenchSession.owner("openclose-" + index);
            return new Worker() {
                private long n = index;

                @Override
                public long op() throws IOException {
                    s.close(s.open(dir, "o" + (n++ % OPENCLOSE_FILES), owner, ShareAccess.ACCESS_READ));
                    return 0;
                }
            };
        }
    }
}

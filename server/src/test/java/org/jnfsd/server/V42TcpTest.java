package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.v42.AllocateArgs;
import org.jnfsd.protocol.nfs4.v42.CloneArgs;
import org.jnfsd.protocol.nfs4.v42.CopyArgs;
import org.jnfsd.protocol.nfs4.v42.CopyResult;
import org.jnfsd.protocol.nfs4.v42.DataContent;
import org.jnfsd.protocol.nfs4.v42.DeallocateArgs;
import org.jnfsd.protocol.nfs4.v42.NetLoc;
import org.jnfsd.protocol.nfs4.v42.OffloadCancelArgs;
import org.jnfsd.protocol.nfs4.v42.OffloadStatusArgs;
import org.jnfsd.protocol.nfs4.v42.ReadPlusArgs;
import org.jnfsd.protocol.nfs4.v42.ReadPlusResult;
import org.jnfsd.protocol.nfs4.v42.SeekArgs;
import org.jnfsd.protocol.nfs4.v42.SeekResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NFSv4.2 data operations over real TCP through {@link NfsClient}, each error path included. */
class V42TcpTest {
    private static final int MIB = 1 << 20;
    private static final int CLONE_BLKSIZE = 77;
    private static final int SPACE_FREED = 78;
    private static final Credential ROOT = new Credential.AuthSys(0, "test", 0, 0, new int[0]);

    private JnfsdServer server;
    private InetSocketAddress address;
    private MemoryFileSystem other;
    private NfsClient client;

    @BeforeEach
    void start() throws Exception {
        other = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withFsid(2));
        server = JnfsdServer.builder()
                .export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))
                .export(new Export(2, "/other", other))
                .port(0).build();
        address = server.start();
        client = NfsClient.connect(address, 2, ROOT);
        client.reclaimComplete();
    }

    @AfterEach
    void stop() throws Exception {
        // the tests leave files open, so DESTROY_CLIENTID would be CLIENTID_BUSY: just disconnect
        client.close();
        server.close();
    }

    /** OPEN (creating) {@code name} in the root with {@code access}; its stateid. */
    private StateId open(String name, int access) throws Exception {
        CompoundReply r = client.compound(VoidArgs.PUTROOTFH, openArgs(name, access));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        return r.result(2, OpenResult.class).stateId();
    }

    private static OpenArgs openArgs(String name, int access) {
        return new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(1, ("o-" + name + access).getBytes(StandardCharsets.UTF_8)),
                new OpenHow.Unchecked(Fattr4.EMPTY), new OpenClaim.Null(name));
    }

    private void write(String name, StateId sid, long offset, byte[] data) throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            CompoundReply r = client.compound(VoidArgs.PUTROOTFH, lookup(name),
                    new WriteArgs(sid, offset, StableHow.FILE_SYNC4, buf));
            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        } finally {
            buf.release();
        }
    }

    /** PUTROOTFH, OPEN of {@code name} (current FH becomes it), then {@code ops}; the reply. */
    private CompoundReply on(String name, OpArgs... ops) throws Exception {
        OpArgs[] all = new OpArgs[ops.length + 2];
        all[0] = VoidArgs.PUTROOTFH;
        all[1] = lookup(name);
        System.arraycopy(ops, 0, all, 2, ops.length);
        return client.compound(all);
    }

    /** The status of the last operation of a reply. */
    private static NfsStatus last(CompoundReply r) {
        return r.results().get(r.results().size() - 1).status();
    }

    @Test
    void seekAllocateDeallocateReadPlus_overTcp() throws Exception {
        StateId sid = open("s", ShareAccess.ACCESS_BOTH);
        write("s", sid, 0, new byte[] {'a'});
        write("s", sid, MIB, new byte[] {'b'});

        CompoundReply r = on("s", new SeekArgs(sid, 0, DataContent.HOLE), new SeekArgs(sid, MIB, DataContent.HOLE));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        long hole = r.result(3, SeekResult.class).offset();
        assertThat(hole).isBetween(1L, 65536L);
        assertThat(r.result(4, SeekResult.class)).isEqualTo(new SeekResult(true, MIB + 1));
        assertThat(last(on("s", new SeekArgs(sid, MIB + 1, DataContent.DATA)))).isEqualTo(NfsStatus.NFS4ERR_NXIO);

        ReadPlusResult rp = on("s", new ReadPlusArgs(sid, hole, MIB)).result(3, ReadPlusResult.class);
        assertThat(rp.eof()).isTrue();
        assertThat(rp.contents()).hasSize(2);
        assertThat(rp.contents().get(0)).isEqualTo(new ReadPlusResult.Hole(hole, MIB - hole));
        assertThat(((ReadPlusResult.Data) rp.contents().get(1)).data()).containsExactly('b');

        assertThat(last(on("s", new AllocateArgs(sid, 0, 4 * MIB)))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(last(on("s", new AllocateArgs(sid, 0, 0)))).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(last(on("s", new DeallocateArgs(sid, 0, 8 * MIB)))).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(last(on("s", new SeekArgs(sid, 0, DataContent.DATA)))).isEqualTo(NfsStatus.NFS4ERR_NXIO);
        assertThat(on("s", new SeekArgs(sid, 0, DataContent.HOLE)).result(3, SeekResult.class))
                .isEqualTo(new SeekResult(false, 0));

        StateId ro = open("s", ShareAccess.ACCESS_READ);
        assertThat(last(on("s", new DeallocateArgs(ro, 0, 10)))).isEqualTo(NfsStatus.NFS4ERR_OPENMODE);
    }

    /**
     * RFC 7862 §15.1 / RFC 8881 §8.2.3: ALLOCATE and DEALLOCATE take a stateid as WRITE does; the
     * anonymous stateid and (as knfsd accepts it) the all-ones bypass stateid both work, the
     * bypass without a share-deny check.
     */
    @Test
    void allocateDeallocate_specialStateids_OK() throws Exception {
        StateId sid = open("sp", ShareAccess.ACCESS_BOTH);
        write("sp", sid, 0, new byte[] {'a'});
        for (StateId special : List.of(StateId.ANONYMOUS, StateId.READ_BYPASS)) {
            assertThat(last(on("sp", new AllocateArgs(special, 0, MIB)))).as("ALLOCATE %s", special)
                    .isEqualTo(NfsStatus.NFS4_OK);
            assertThat(last(on("sp", new DeallocateArgs(special, 0, MIB)))).as("DEALLOCATE %s", special)
                    .isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void copyAndClone_overTcp() throws Exception {
        StateId src = open("src", ShareAccess.ACCESS_BOTH);
        byte[] data = new byte[2 * MIB + 100];
        new java.util.Random(1).nextBytes(data);
        for (int off = 0; off < data.length; off += MIB) {
            write("src", src, off, java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + MIB)));
        }
        StateId dst = open("dst", ShareAccess.ACCESS_BOTH);

        // saved FH = source, current FH = destination
        CompoundReply r = client.compound(VoidArgs.PUTROOTFH, lookup("src"),
                VoidArgs.SAVEFH, VoidArgs.PUTROOTFH, lookup("dst"),
                new CopyArgs(src, dst, 0, 0, 0, false, true, List.of()),
                new ReadPlusArgs(dst, 2 * MIB, 200),
                new CloneArgs(src, dst, 0, 4 * MIB, 4096));
        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        CopyResult copy = r.result(6, CopyResult.class);
        assertThat(copy.response().count()).isEqualTo(data.length);
        assertThat(copy.response().callbackId()).isNull();
        assertThat(copy.synchronous()).isTrue();
        ReadPlusResult tail = r.result(7, ReadPlusResult.class);
        assertThat(tail.eof()).isTrue();
        assertThat(((ReadPlusResult.Data) tail.contents().get(0)).data())
                .isEqualTo(java.util.Arrays.copyOfRange(data, 2 * MIB, data.length));

        OpArgs[] pair = {VoidArgs.PUTROOTFH, lookup("src"), VoidArgs.SAVEFH,
            VoidArgs.PUTROOTFH, lookup("dst")};
        assertThat(last(client.compound(with(pair, new CopyArgs(src, dst, MIB, 0, 2 * MIB, false, true, List.of())))))
                .as("past the source's end").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(last(client.compound(with(pair,
                new CopyArgs(src, dst, 0, 0, 1, false, true, List.of(NetLoc.name("elsewhere")))))))
                .isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        assertThat(last(client.compound(with(pair, new CloneArgs(src, dst, 1, 0, 4096)))))
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(last(client.compound(VoidArgs.PUTROOTFH, lookup("src"),
                new CopyArgs(src, src, 0, 10, 20, false, true, List.of()))))
                .as("no saved filehandle").isEqualTo(NfsStatus.NFS4ERR_NOFILEHANDLE);
        assertThat(last(client.compound(VoidArgs.PUTROOTFH, lookup("src"),
                VoidArgs.SAVEFH, new CopyArgs(src, src, 0, 10, 20, false, true, List.of()))))
                .as("overlapping in one file").isEqualTo(NfsStatus.NFS4ERR_INVAL);
        byte[] otherRoot = org.jnfsd.core.fs.HandleKey.processKey().seal(new FileHandle(2, other.root()));
        assertThat(last(client.compound(VoidArgs.PUTROOTFH, lookup("src"),
                VoidArgs.SAVEFH, new PutFhArgs(otherRoot),
                new CopyArgs(StateId.ANONYMOUS, StateId.ANONYMOUS, 0, 0, 1, false, true, List.of()))))
                .isEqualTo(NfsStatus.NFS4ERR_XDEV);
    }

    private static LookupArgs lookup(String name) {
        return new LookupArgs(name.getBytes(StandardCharsets.UTF_8));
    }

    private static OpArgs[] with(OpArgs[] prefix, OpArgs op) {
        OpArgs[] all = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        all[prefix.length] = op;
        return all;
    }

    @Test
    void offloadStatusAndCancel_unknownStateid_BAD_STATEID() throws Exception {
        StateId nothing = new StateId(1, new byte[12]);
        assertThat(last(client.compound(new OffloadStatusArgs(nothing)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(last(client.compound(new OffloadCancelArgs(nothing)))).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void attributes_v42Only() throws Exception {
        open("f", ShareAccess.ACCESS_BOTH);
        CompoundReply r = on("f", new GetattrArgs(Bitmap.of(CLONE_BLKSIZE, SPACE_FREED)));
        Fattr4 attrs = r.result(3, GetattrResult.class).attrs();
        assertThat(attrs.mask()).isEqualTo(Bitmap.of(CLONE_BLKSIZE, SPACE_FREED));
        XdrDecoder in = new XdrDecoder(Unpooled.wrappedBuffer(attrs.values()));
        assertThat(in.readInt()).isEqualTo(4096);
        assertThat(in.readLong()).isZero();

        try (NfsClient v41 = NfsClient.connect(address, 1, ROOT)) {
            v41.reclaimComplete();
            CompoundReply old = v41.compound(VoidArgs.PUTROOTFH, lookup("f"),
                    new GetattrArgs(Bitmap.of(CLONE_BLKSIZE, SPACE_FREED)));
            assertThat(old.result(3, GetattrResult.class).attrs().mask()).isEmpty();
            CompoundReply seek = v41.compound(VoidArgs.PUTROOTFH, new SeekArgs(StateId.ANONYMOUS, 0, DataContent.DATA));
            assertThat(seek.status()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL);
            assertThat(seek.opcodes()).containsExactly(Opcode.SEQUENCE, Opcode.PUTROOTFH, Opcode.ILLEGAL);
            v41.destroy();
        }
    }
}

package org.jnfsd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jnfsd.core.NfsProgram;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundProcessor;
import org.jnfsd.core.compound.StandardOperations;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.session.SequenceResult;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.AcceptStat;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcReply;
import org.jnfsd.rpc.RpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of {@link NfsClient} against the real COMPOUND engine and session operations, served by
 * an {@link RpcServer} on 127.0.0.1, port 0. Lives in core's tests because the client module must
 * not depend on core.
 */
class NfsClientTest {
    private static final Credential CRED = new Credential.AuthSys(0, "test-host", 1000, 1000, new int[0]);

    private ServerContext context;
    private RpcServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        context = new ServerContext(ServerConfig.builder().maxSlots(4).build(),
                new ExportTable(List.of(new Export(1, "/", null))), Clock.systemUTC());
        server = RpcServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .program(new NfsProgram(new CompoundProcessor(context, StandardOperations.table())))
                .build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connect_sequenceReclaimDestroy_allSucceedAndServerForgetsClient() throws Exception {
        try (NfsClient client = NfsClient.connect(address, 1, CRED)) {
            Session session = context.sessions().session(client.sessionId());
            assertThat(session.client().id().value()).isEqualTo(client.clientId());
            assertThat(session.connections()).hasSize(1);
            assertThat(client.foreChannel().maxRequests()).isEqualTo(4);

            CompoundReply r = client.compound();
            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(r.result(0, SequenceResult.class).sessionId()).isEqualTo(client.sessionId());
            client.reclaimComplete();

            client.destroy();

            assertThat(session.state()).isEqualTo(Session.State.DESTROYED);
            assertThat(context.sessions().clients()).isEmpty();
            assertThatThrownBy(client::compound).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void compound_manyThreadsShareTheSlots_everyRequestSucceeds() throws Exception {
        try (NfsClient client = NfsClient.connect(address, 2, CRED);
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Callable<NfsStatus>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean cacheThis = i % 2 == 0;
                tasks.add(() -> client.compound(cacheThis).status());
            }
            List<NfsStatus> statuses = new ArrayList<>();
            for (Future<NfsStatus> f : pool.invokeAll(tasks)) {
                statuses.add(f.get());
            }

            assertThat(statuses).hasSize(200).containsOnly(NfsStatus.NFS4_OK);
            client.destroy();
        }
    }

    @Test
    void compoundWithoutSequence_ordinaryOperation_opNotInSession() throws Exception {
        try (NfsClient client = NfsClient.connect(address, 1, CRED)) {
            OpArgs putRootFh = new OpArgs() {
                @Override
                public Opcode opcode() {
                    return Opcode.PUTROOTFH;
                }

                @Override
                public void encode(XdrEncoder out) {}
            };

            assertThat(client.compoundWithoutSequence(putRootFh).status()).isEqualTo(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION);
        }
    }

    @Test
    void rawCall_truncatedCompoundHeader_garbageArgsAndConnectionStillServes() throws Exception {
        try (NfsClient client = NfsClient.connect(address, 1, CRED)) {
            RpcReply r = client.rawCall(new byte[] {0, 0, 0, 9});

            assertThat(r.acceptStat()).isEqualTo(AcceptStat.GARBAGE_ARGS);
            assertThat(client.compound().status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void connect_minorVersionZero_refusedBeforeConnecting() {
        assertThatThrownBy(() -> NfsClient.connect(address, 0, CRED)).isInstanceOf(IllegalArgumentException.class);
    }
}

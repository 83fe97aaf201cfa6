package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.client.NfsStatusException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits of {@link ServerConfig.Limits} through a real server over TCP: connections beyond
 * the limit are closed as accepted, EXCHANGE_ID beyond the client limit answers NFS4ERR_DELAY,
 * each refusal counted in the server's metrics, and the clients already in are still served.
 */
class PeerLimitsTcpTest {
    private static final Credential ALICE = new Credential.AuthSys(0, "limits-test", 1000, 1000, new int[0]);

    private JnfsdServer server;
    private final List<AutoCloseable> open = new ArrayList<>();

    private InetSocketAddress start(ServerConfig config) throws Exception {
        server = JnfsdServer.builder().config(config).export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC())))
                .port(0).build();
        return server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private long counter(String name) {
        return server.context().counters().snapshot().getOrDefault(name, 0L);
    }

    @Test
    void connectionBeyondTheLimit_isClosedAndCounted_theOthersStillServed() throws Exception {
        InetSocketAddress address = start(ServerConfig.builder().maxConnections(2).build());
        RawRpc a = new RawRpc(address);
        open.add(a);
        RawRpc b = new RawRpc(address);
        open.add(b);
        assertServed(a);
        assertServed(b); // both admitted before the third connects

        RawRpc c = new RawRpc(address);
        open.add(c);

        assertThat(c.isClosedByPeer()).isTrue();
        assertThat(counter("jnfsd.connections.refused{reason=CONNECTION_LIMIT}")).isEqualTo(1);
        assertServed(a);
    }

    @Test
    void connectionsBeyondThePerAddressLimit_areClosedAndCounted() throws Exception {
        InetSocketAddress address = start(ServerConfig.builder().maxConnectionsPerAddress(1).build());
        RawRpc a = new RawRpc(address);
        open.add(a);
        assertServed(a);

        RawRpc b = new RawRpc(address);
        open.add(b);

        assertThat(b.isClosedByPeer()).isTrue();
        assertThat(counter("jnfsd.connections.refused{reason=CONNECTION_PER_ADDRESS_LIMIT}")).isEqualTo(1);
        assertServed(a);
    }

    @Test
    void exchangeIdBeyondTheClientLimit_isDelayedAndCounted_theClientsInStillServed() throws Exception {
        InetSocketAddress address = start(ServerConfig.builder().maxClients(2).build());
        NfsClient first = NfsClient.connect(address, 2, ALICE);
        open.add(first);
        NfsClient second = NfsClient.connect(address, 2, ALICE);
        open.add(second);

        assertThatThrownBy(() -> open.add(NfsClient.connect(address, 2, ALICE)))
                .isInstanceOfSatisfying(NfsStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(NfsStatus.NFS4ERR_DELAY));

        assertThat(counter("jnfsd.clients.refused")).isEqualTo(1);
        assertThat(counter("jnfsd.clients")).isEqualTo(2);
        assertThat(first.compound(VoidArgs.PUTROOTFH, VoidArgs.GETFH).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(second.compound(VoidArgs.PUTROOTFH, VoidArgs.GETFH).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    /** A NULL call on {@code rpc} is answered. */
    private static void assertServed(RawRpc rpc) throws Exception {
        int xid = rpc.call(RawRpc.NFS, 4, 0, e -> { });
        RawRpc.Reply r = rpc.readReply();
        assertThat(r.xid()).isEqualTo(xid);
        assertThat(r.acceptStat()).isZero();
    }
}

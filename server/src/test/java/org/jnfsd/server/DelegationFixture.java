package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.memory.MemoryFileSystem;

/**
 * What the delegation tests over TCP share: a server that grants read delegations, exporting an
 * in-memory root with one file {@code f}; OPEN of {@code f}; bounded polls (SEQUENCE round trips,
 * no sleeping) for the server's view of a client's callback channel.
 */
final class DelegationFixture {
    static final int MAX_POLLS = 10_000;

    private DelegationFixture() {}

    /** A server (not started) on 127.0.0.1 port 0 granting up to 100 delegations; root holds {@code f}. */
    static JnfsdServer.Builder serverWithFileF() throws VfsException {
        MemoryFileSystem fs = new MemoryFileSystem(Clock.systemUTC(), MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0));
        fs.createFile(fs.root(), "f", new SetAttributes(0666, 1000, 1000, null, null, null), true);
        return JnfsdServer.builder()
                .export(new Export(1, "/", fs, false, false, Export.NOBODY, Export.NOBODY))
                .config(ServerConfig.builder().maxDelegations(100).build())
                .bindAddress(InetAddress.getLoopbackAddress()).port(0);
    }

    /** OPEN of {@code f} (no create) with {@code access} (share access and want bits), deny none. */
    static OpenArgs openF(NfsClient c, int access) {
        return new OpenArgs(0, access, ShareAccess.DENY_NONE,
                new OpenOwner(c.clientId(), ("owner-" + access).getBytes(StandardCharsets.UTF_8)),
                new OpenHow.NoCreate(), new OpenClaim.Null("f"));
    }

    /** Polls until the server has probed {@code client}'s backchannel, and returns the channel. */
    static CallbackChannel awaitChannelUp(JnfsdServer server, NfsClient client) throws IOException {
        for (int i = 0; i < MAX_POLLS; i++) {
            CallbackChannel ch = server.context().callbacks().channel(new ClientId(client.clientId()));
            if (ch != null && ch.state() == CallbackChannel.State.UP) {
                return ch;
            }
            assertThat(client.compound().status()).isEqualTo(NfsStatus.NFS4_OK);
        }
        throw new AssertionError("callback channel not UP after " + MAX_POLLS + " SEQUENCEs");
    }

    /** Polls until {@code ch} has no callback in flight. */
    static void awaitNoCallbackInFlight(NfsClient client, CallbackChannel ch) throws IOException {
        for (int i = 0; i < MAX_POLLS && ch.inFlight() > 0; i++) {
            assertThat(client.compound().status()).isEqualTo(NfsStatus.NFS4_OK);
        }
        assertThat(ch.inFlight()).isZero();
    }
}

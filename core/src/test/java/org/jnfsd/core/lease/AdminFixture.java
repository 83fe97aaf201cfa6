package org.jnfsd.core.lease;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.fs.ClientRule;
import org.jnfsd.core.fs.ClientSpec;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportOptions;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.metrics.ServerCounters;
import org.jnfsd.core.recovery.InMemoryRecoveryStore;
import org.jnfsd.core.session.ClientInfo;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.lock.LockOutcome;
import org.jnfsd.core.state.lock.LockRange;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.Inode;

/**
 * A server with two exports open to everyone ({@code /a} id 1, {@code /b} id 2; no file system
 * behind them: the state tables only need file handles), teardowns inline, and helpers that give a
 * client at an address state of each kind: an open, a lock, a delegation.
 */
final class AdminFixture implements AutoCloseable {
    static final Export A = new Export(1, "/a", null);
    static final Export B = new Export(2, "/b", null);

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ServerContext server = new ServerContext(ServerConfig.defaults(), new ExportTable(List.of(A, B)), clock,
            new InMemoryRecoveryStore(), new ServerCounters(), null, Runnable::run);

    static FileHandle file(Export e, int inode) {
        return new FileHandle(e.id(), new Inode(new byte[] {(byte) inode}));
    }

    /** A client record made by EXCHANGE_ID from {@code hostPort}; its id. */
    long client(String owner, String hostPort) throws Exception {
        ClientRecord c = server.sessions().exchangeId(owner.getBytes(StandardCharsets.UTF_8), new byte[8],
                new Principal("sys:1000@" + owner), false).client();
        c.describe(new ClientInfo(hostPort, 1, owner, ""));
        return c.id().value();
    }

    OpenShare open(long client, FileHandle f, String owner, int access, int deny) throws Exception {
        return server.opens().open(client, new OpenOwner(client, owner.getBytes(StandardCharsets.US_ASCII)), f,
                access, deny);
    }

    /** A lock of a new lock owner {@code owner} over an open for read and write of {@code f}. */
    StateId lock(long client, FileHandle f, String owner, boolean write, LockRange range) throws Exception {
        OpenShare o = open(client, f, "open-" + owner, ShareAccess.ACCESS_READ | ShareAccess.ACCESS_WRITE, 0);
        LockOutcome out = server.locks().lockNewOwner(client, f, o.stateId(),
                new OpenOwner(client, owner.getBytes(StandardCharsets.US_ASCII)), write, false, false, range);
        return ((LockOutcome.Granted) out).stateId();
    }

    StateId delegate(long client, FileHandle f) {
        return server.delegations().grantRead(client, f).delegation().stateId();
    }

    /** {@code e} with one rule: open only to {@code network}/{@code prefix}. */
    static Export onlyTo(Export e, String network, int prefix) {
        return e.withRules(List.of(new ClientRule(new ClientSpec.Network(InetAddress.ofLiteral(network), prefix),
                ExportOptions.DEFAULTS)));
    }

    @Override
    public void close() {
        server.close();
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Set;
import org.jnfsd.client.NfsV40Client;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.namespace.GetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NFSv4.0 over TCP with the Java 4.0 client: minor version 0 COMPOUNDs and its operation set. */
class V40TcpTest {
    private static final Credential CRED = new Credential.AuthSys(0, "v40-test", 1000, 1000, new int[0]);
    private static final VoidArgs PUTROOTFH = new VoidArgs(Opcode.PUTROOTFH);
    private static final VoidArgs GETFH = new VoidArgs(Opcode.GETFH);

    private JnfsdServer server;

    private InetSocketAddress start(Set<Integer> versions) throws Exception {
        server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC(),
                MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0)))).port(0)
                .config(ServerConfig.builder().minorVersions(versions).build()).build();
        return server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void minorVersion0_withoutSequence_operationsRun() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(start(ServerConfig.ALL_MINOR_VERSIONS), CRED)) {
            CompoundReply r = c.compound(PUTROOTFH, GETFH);

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(r.results()).hasSize(2);
            assertThat(r.result(1, GetFhResult.class).fh()).isNotEmpty();
        }
    }

    @Test
    void minorVersion0_getattr_the40AttributesOnly() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(start(ServerConfig.ALL_MINOR_VERSIONS), CRED)) {
            CompoundReply r = c.compound(PUTROOTFH, new GetattrArgs(Bitmap.of(AttrBit.TYPE, AttrBit.SUPPATTR_EXCLCREAT)));
            CompoundReply supported = c.compound(PUTROOTFH, new GetattrArgs(Bitmap.of(AttrBit.SUPPORTED_ATTRS)));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
            assertThat(Bitmap.trim(r.result(1, GetattrResult.class).attrs().mask())).isEqualTo(Bitmap.of(AttrBit.TYPE));
            byte[] words = supported.result(1, GetattrResult.class).attrs().values();
            assertThat(words.length).as("two words at most after the length: no 4.0 attribute is above 55")
                    .isLessThanOrEqualTo(12);
        }
    }

    @Test
    void minorVersion0_access_xattrBitsAreInval_theRfc7530BitsAnswer() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(start(ServerConfig.ALL_MINOR_VERSIONS), CRED)) {
            CompoundReply xa = c.compound(PUTROOTFH, new org.jnfsd.protocol.nfs4.namespace.AccessArgs(0x1 | 0x40));
            CompoundReply plain = c.compound(PUTROOTFH, new org.jnfsd.protocol.nfs4.namespace.AccessArgs(0x3f));

            assertThat(xa.status()).as("ACCESS4_XAREAD is RFC 8276's, minor version 2 only")
                    .isEqualTo(NfsStatus.NFS4ERR_INVAL);
            assertThat(plain.status()).isEqualTo(NfsStatus.NFS4_OK);
        }
    }

    @Test
    void minorVersion0_sessionOperations_opIllegal() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(start(ServerConfig.ALL_MINOR_VERSIONS), CRED)) {
            CompoundReply destroy = c.compound(new DestroyClientidArgs(1));
            CompoundReply afterPutRoot = c.compound(PUTROOTFH, new DestroyClientidArgs(1));

            assertThat(destroy.status()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL);
            assertThat(destroy.opcodes()).containsExactly(Opcode.ILLEGAL);
            assertThat(afterPutRoot.status()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL);
            assertThat(afterPutRoot.opcodes()).containsExactly(Opcode.PUTROOTFH, Opcode.ILLEGAL);
        }
    }

    @Test
    void minorVersion1_v40OnlyOperation_notSupp() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(start(ServerConfig.ALL_MINOR_VERSIONS), CRED)) {
            CompoundReply r = c.compoundOfMinor(CRED, 1, new RenewArgs(1));
            CompoundReply release = c.compoundOfMinor(CRED, 1, new org.jnfsd.protocol.nfs4.lock.ReleaseLockownerArgs(
                    new org.jnfsd.protocol.nfs4.io.OpenOwner(1, new byte[] {1})));

            assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
            assertThat(r.opcodes()).containsExactly(Opcode.RENEW);
            assertThat(release.status()).isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
        }
    }

    @Test
    void versionSwitchedOff_minorVersionMismatch_othersServed() throws Exception {
        try (NfsV40Client c = NfsV40Client.connect(start(Set.of(1, 2)), CRED)) {
            CompoundReply v40 = c.compound(PUTROOTFH, GETFH);
            CompoundReply v41 = c.compoundOfMinor(CRED, 1, new DestroyClientidArgs(1));

            assertThat(v40.status()).isEqualTo(NfsStatus.NFS4ERR_MINOR_VERS_MISMATCH);
            assertThat(v40.results()).isEmpty();
            assertThat(v41.status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        }
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.GETFH;
import static org.jnfsd.server.Nfs.getattr;
import static org.jnfsd.server.Nfs.PUTROOTFH;
import static org.jnfsd.server.Nfs.path;
import static org.jnfsd.server.Nfs.putfh;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.namespace.AccessArgs;
import org.jnfsd.protocol.nfs4.namespace.AccessResult;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-client export rules over real TCP: the Java client connects from different loopback source
 * addresses (127.0.0.2, 127.0.0.3, ...), and each is a different client to the rules.
 */
class ExportRulesTcpTest {
    private static final byte[] DATA = "data\n".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture().rules("127.0.0.2(rw) 127.0.0.3(ro) "
            + "127.0.0.4(rw,all_squash,anonuid=4321,anongid=4322) 127.0.0.5(rw,no_root_squash) "
            + "127.0.0.6(rw,anonuid=777,anongid=778) 127.0.0.8(rw,secure)");

    @Test
    void putrootfh_addressWithoutRule_access() throws Exception {
        Nfs stranger = nfs.clientFrom("127.0.0.7", NfsServerFixture.USER);
        assertThat(stranger.status(PUTROOTFH)).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        byte[] fh = nfs.clientFrom("127.0.0.2", NfsServerFixture.USER).fh("/");
        assertThat(stranger.status(putfh(fh))).as("a handle from someone else").isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void putrootfh_secureRuleFromUnprivilegedPort_access() throws Exception {
        assertThat(nfs.clientFrom("127.0.0.8", NfsServerFixture.USER).status(PUTROOTFH))
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void readOnlyRule_everyMutation_rofs() throws Exception {
        Nfs rw = nfs.clientFrom("127.0.0.2", NfsServerFixture.ROOT);
        byte[] fh = rw.writeFile("/f", DATA);
        rw.mkdir("/d", 0777);
        Nfs ro = nfs.clientFrom("127.0.0.3", NfsServerFixture.USER);
        assertThat(ro.read(fh)).isEqualTo(DATA);
        assertThat(ro.status(path("/"), ro.open("g", new OpenHow.Unchecked(Fattr.mode(0644)))))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(ro.status(putfh(fh), new org.jnfsd.protocol.nfs4.io.OpenArgs(0,
                org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE, org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE,
                ro.newOwner(), new OpenHow.NoCreate(), new org.jnfsd.protocol.nfs4.io.OpenClaim.Fh())))
                .as("open for write").isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(ro.status(path("/"), CreateArgs.directory("e", Fattr.mode(0755)))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(ro.status(path("/"), RemoveArgs.of("f"))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(ro.status(path("/"), Nfs.SAVEFH, RenameArgs.of("f", "h"))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(ro.status(putfh(fh), new SetattrArgs(StateId.ANONYMOUS, Fattr.mode(0600))))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
        AccessResult a = ro.last(AccessResult.class, putfh(fh), new AccessArgs(0x3f));
        assertThat(a.access() & (org.jnfsd.core.fs.Access.MODIFY | org.jnfsd.core.fs.Access.EXTEND)).as("ACCESS grants no writes").isZero();
        AccessResult w = rw.last(AccessResult.class, putfh(fh), new AccessArgs(0x3f));
        assertThat(w.access() & org.jnfsd.core.fs.Access.MODIFY).as("the rw client may write").isNotZero();
    }

    @Test
    void squashOptions_changeTheOwnerWritten() throws Exception {
        assertThat(ownerOf("127.0.0.2", NfsServerFixture.ROOT, "/byroot")).as("root_squash, the default")
                .containsExactly("65534", "65534");
        assertThat(ownerOf("127.0.0.6", NfsServerFixture.ROOT, "/byroot-anon")).as("root_squash with anonuid")
                .containsExactly("777", "778");
        assertThat(ownerOf("127.0.0.6", NfsServerFixture.USER, "/byuser")).as("users are not squashed")
                .containsExactly("1000", "1000");
        assertThat(ownerOf("127.0.0.4", NfsServerFixture.USER, "/byuser-all")).as("all_squash")
                .containsExactly("4321", "4322");
        assertThat(ownerOf("127.0.0.5", NfsServerFixture.ROOT, "/byroot-nosquash")).as("no_root_squash")
                .containsExactly("0", "0");
    }

    private String[] ownerOf(String source, org.jnfsd.rpc.Credential cred, String file) throws Exception {
        Nfs c = nfs.clientFrom(source, cred);
        byte[] fh = c.writeFile(file, DATA);
        Map<Integer, Object> a = c.attrs(fh, AttrBit.OWNER, AttrBit.OWNER_GROUP);
        return new String[] {(String) a.get(AttrBit.OWNER), (String) a.get(AttrBit.OWNER_GROUP)};
    }

    @Test
    void getfh_sameHandleForEveryAllowedClient() throws Exception {
        byte[] a = nfs.clientFrom("127.0.0.2", NfsServerFixture.USER).last(
                org.jnfsd.protocol.nfs4.namespace.GetFhResult.class, PUTROOTFH, GETFH).fh();
        byte[] b = nfs.clientFrom("127.0.0.3", NfsServerFixture.USER).fh("/");
        assertThat(a).isEqualTo(b);
    }

    private void reload(String clients, int id) throws Exception {
        var ctx = nfs.server().context();
        var current = ctx.exports().all().getFirst();
        var rules = org.jnfsd.core.fs.ExportsFile.parse("/ " + clients + "\n", "reload").getFirst().rules();
        ctx.replaceExports(new org.jnfsd.core.fs.ExportTable(java.util.List.of(
                new org.jnfsd.core.fs.Export(id, "/", current.fs(), rules, true))));
    }

    private static org.jnfsd.protocol.nfs4.io.WriteArgs write(StateId s) {
        return new org.jnfsd.protocol.nfs4.io.WriteArgs(s, 0, org.jnfsd.protocol.nfs4.io.StableHow.FILE_SYNC4,
                io.netty.buffer.Unpooled.wrappedBuffer(DATA));
    }

    private static StateId openForRead(Nfs c, byte[] fh) throws Exception {
        return c.last(org.jnfsd.protocol.nfs4.io.OpenResult.class, putfh(fh), new org.jnfsd.protocol.nfs4.io.OpenArgs(0,
                org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ, org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE,
                c.newOwner(), new OpenHow.NoCreate(), new org.jnfsd.protocol.nfs4.io.OpenClaim.Fh())).stateId();
    }

    @Test
    void reload_rwToRoUnderAnOpen_thenRemoved_rofsThenStateReleased_othersKeepGoing() throws Exception {
        Nfs writer = nfs.clientFrom("127.0.0.2", NfsServerFixture.USER);
        Nfs reader = nfs.clientFrom("127.0.0.3", NfsServerFixture.USER);
        Nfs bystander = nfs.clientFrom("127.0.0.6", NfsServerFixture.USER);
        byte[] fh = writer.writeFile("/f", DATA);
        StateId open = writer.openFh(fh);
        writer.ok(putfh(fh), write(open));
        openForRead(reader, fh);
        var opens = nfs.server().context().opens();

        reload("127.0.0.2(ro) 127.0.0.3(ro) 127.0.0.6(rw)", 1);
        assertThat(writer.status(putfh(fh), write(open))).as("same open, export now ro")
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(writer.read(fh)).as("the session and open survive the reload").isEqualTo(DATA);
        assertThat(opens.openCount(writer.client().clientId())).isEqualTo(1);

        reload("127.0.0.3(ro)", 1);
        assertThat(opens.openCount(writer.client().clientId())).as("its open released by the normal teardown")
                .isZero();
        assertThat(writer.status(putfh(fh))).as("its session went with its client record")
                .isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(opens.openCount(reader.client().clientId())).as("a client that kept access keeps its open")
                .isEqualTo(1);
        assertThat(reader.read(fh)).as("an unchanged client goes on").isEqualTo(DATA);
        assertThat(bystander.status(putfh(fh))).as("a client without state is not torn down, only refused")
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);

        reload("127.0.0.2(rw) 127.0.0.6(rw)", 1);
        bystander.ok(putfh(fh), getattr());
    }

    @Test
    void reload_exportIdGone_stale() throws Exception {
        Nfs c = nfs.clientFrom("127.0.0.2", NfsServerFixture.USER);
        byte[] fh = c.writeFile("/f", DATA);
        reload("127.0.0.2(rw)", 9);
        assertThat(c.status(putfh(fh))).isEqualTo(NfsStatus.NFS4ERR_STALE);
        assertThat(c.status(PUTROOTFH)).as("the new export serves").isEqualTo(NfsStatus.NFS4_OK);
    }
}

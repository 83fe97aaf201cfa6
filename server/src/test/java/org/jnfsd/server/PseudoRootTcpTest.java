package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.GETFH;
import static org.jnfsd.server.Nfs.LOOKUPP;
import static org.jnfsd.server.Nfs.PUTROOTFH;
import static org.jnfsd.server.Nfs.getattr;
import static org.jnfsd.server.Nfs.path;
import static org.jnfsd.server.Nfs.putfh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.namespace.AccessArgs;
import org.jnfsd.protocol.nfs4.namespace.AccessResult;
import org.jnfsd.protocol.nfs4.namespace.CreateArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.GetattrResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirArgs;
import org.jnfsd.protocol.nfs4.namespace.ReaddirResult;
import org.jnfsd.protocol.nfs4.namespace.RemoveArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoArgs;
import org.jnfsd.protocol.nfs4.namespace.SecinfoNoNameArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several exports under the NFSv4 pseudo-root over real TCP, the Java client bound to different
 * loopback source addresses: 127.0.0.2 may use both exports, 127.0.0.3 only /srv/data, 127.0.0.4
 * neither.
 */
class PseudoRootTcpTest {
    private static final byte[] DATA = "data\n".getBytes(StandardCharsets.UTF_8);
    static final String EXPORTS = """
            /srv/data    127.0.0.2(rw) 127.0.0.3(rw)
            /pub/ro      127.0.0.2(ro)
            """;

    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture().exports(EXPORTS);

    private Nfs two() throws Exception {
        return nfs.clientFrom("127.0.0.2", NfsServerFixture.USER);
    }

    private Nfs three() throws Exception {
        return nfs.clientFrom("127.0.0.3", NfsServerFixture.USER);
    }

    /** Entry names of a directory with their attributes, in READDIR order. */
    static Map<String, Map<Integer, Object>> readdir(Nfs c, byte[] dir, int... bits) throws Exception {
        Map<String, Map<Integer, Object>> out = new LinkedHashMap<>();
        long cookie = 0;
        byte[] verifier = new byte[ReaddirArgs.VERIFIER_SIZE];
        for (boolean eof = false; !eof; ) {
            ReaddirResult page = c.last(ReaddirResult.class, putfh(dir),
                    new ReaddirArgs(cookie, verifier, 512, 4096, Bitmap.of(bits)));
            for (ReaddirResult.Entry e : page.entries()) {
                out.put(e.name(), Fattr.decode(e.attrs()));
                cookie = e.cookie();
            }
            verifier = page.cookieVerf();
            eof = page.eof();
        }
        return out;
    }

    @Test
    void readdir_pseudoDirectories_showOnlyTheExportsTheClientMayUse() throws Exception {
        Nfs two = two();
        Nfs three = three();
        assertThat(readdir(two, two.fh("/"), AttrBit.TYPE).keySet()).containsExactly("pub", "srv");
        assertThat(readdir(three, three.fh("/"), AttrBit.TYPE).keySet()).containsExactly("srv");
        assertThat(readdir(two, two.fh("/pub"), AttrBit.TYPE).keySet()).containsExactly("ro");
        assertThat(readdir(three, three.fh("/srv"), AttrBit.TYPE).keySet()).containsExactly("data");
    }

    @Test
    void lookup_exportTheClientMayNotUse_noent() throws Exception {
        Nfs three = three();
        assertThat(three.status(path("/pub"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(three.status(PUTROOTFH, SecinfoArgs.of("pub"))).as("SECINFO hides it too")
                .isEqualTo(NfsStatus.NFS4ERR_NOENT);
        assertThat(three.status(path("/nothing"))).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        byte[] pub = two().fh("/pub");
        assertThat(three.status(putfh(pub), LookupArgs.of("ro"))).as("from a handle another client got")
                .isEqualTo(NfsStatus.NFS4ERR_NOENT);
        three.ok(path("/srv/data"));
        three.ok(PUTROOTFH, SecinfoArgs.of("srv"));
    }

    @Test
    void putrootfh_clientWithoutAnyExport_access() throws Exception {
        Nfs four = nfs.clientFrom("127.0.0.4", NfsServerFixture.USER);
        assertThat(four.status(PUTROOTFH)).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(four.status(Nfs.PUTPUBFH)).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(four.status(putfh(two().fh("/srv")))).as("a pseudo handle from someone else")
                .isEqualTo(NfsStatus.NFS4ERR_ACCESS);
        assertThat(four.status(putfh(two().fh("/srv/data")))).isEqualTo(NfsStatus.NFS4ERR_ACCESS);
    }

    @Test
    void lookup_intoAnExport_changesFsid_mountedOnFileidIsThePseudoDirectory() throws Exception {
        Nfs two = two();
        Map<Integer, Object> root = two.attrs(two.fh("/"), AttrBit.FSID, AttrBit.FILEID, AttrBit.MOUNTED_ON_FILEID);
        Map<Integer, Object> srv = two.attrs(two.fh("/srv"), AttrBit.FSID, AttrBit.FILEID);
        Map<Integer, Object> data = two.attrs(two.fh("/srv/data"), AttrBit.FSID, AttrBit.FILEID,
                AttrBit.MOUNTED_ON_FILEID);
        Map<Integer, Object> ro = two.attrs(two.fh("/pub/ro"), AttrBit.FSID);
        assertThat((long[]) srv.get(AttrBit.FSID)).as("the pseudo-fs has one fsid").isEqualTo(root.get(AttrBit.FSID));
        assertThat((long[]) data.get(AttrBit.FSID)).isNotEqualTo(srv.get(AttrBit.FSID));
        assertThat((long[]) ro.get(AttrBit.FSID)).isNotEqualTo(srv.get(AttrBit.FSID))
                .isNotEqualTo(data.get(AttrBit.FSID));
        assertThat(root.get(AttrBit.MOUNTED_ON_FILEID)).isEqualTo(root.get(AttrBit.FILEID));
        assertThat(data.get(AttrBit.MOUNTED_ON_FILEID)).as("the covered pseudo directory")
                .isNotEqualTo(data.get(AttrBit.FILEID)).isNotEqualTo(srv.get(AttrBit.FILEID));

        Map<Integer, Object> entry = readdir(two, two.fh("/srv"), AttrBit.FSID, AttrBit.FILEID,
                AttrBit.MOUNTED_ON_FILEID).get("data");
        assertThat((long[]) entry.get(AttrBit.FSID)).as("READDIR shows the export's root").isEqualTo(data.get(AttrBit.FSID));
        assertThat(entry.get(AttrBit.FILEID)).isEqualTo(data.get(AttrBit.FILEID));
        assertThat(entry.get(AttrBit.MOUNTED_ON_FILEID)).isEqualTo(data.get(AttrBit.MOUNTED_ON_FILEID));
    }

    @Test
    void lookupp_fromAnExportRoot_backIntoThePseudoFs() throws Exception {
        Nfs two = two();
        byte[] srv = two.fh("/srv");
        byte[] back = two.last(GetFhResult.class, path("/srv/data"), LOOKUPP, GETFH).fh();
        assertThat(back).isEqualTo(srv);
        assertThat(two.last(GetFhResult.class, putfh(srv), LOOKUPP, GETFH).fh()).isEqualTo(two.fh("/"));
        assertThat(two.status(PUTROOTFH, LOOKUPP)).isEqualTo(NfsStatus.NFS4ERR_NOENT);
        two.ok(path("/srv/data"), new SecinfoNoNameArgs(SecinfoNoNameArgs.PARENT));
        assertThat(two.status(PUTROOTFH, new SecinfoNoNameArgs(SecinfoNoNameArgs.PARENT)))
                .isEqualTo(NfsStatus.NFS4ERR_NOENT);
    }

    @Test
    void pseudoFs_everyMutation_rofs() throws Exception {
        Nfs root = nfs.clientFrom("127.0.0.2", NfsServerFixture.ROOT);
        assertThat(root.status(path("/"), CreateArgs.directory("d", Fattr.mode(0755)))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(root.status(path("/srv"), root.open("f", new OpenHow.Unchecked(Fattr.mode(0644)))))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(root.status(path("/"), RemoveArgs.of("srv"))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(root.status(path("/"), Nfs.SAVEFH, RenameArgs.of("srv", "x"))).isEqualTo(NfsStatus.NFS4ERR_ROFS);
        assertThat(root.status(path("/srv"), new SetattrArgs(StateId.ANONYMOUS, Fattr.mode(0777))))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
        AccessResult a = root.last(AccessResult.class, path("/srv"), new AccessArgs(0x3f));
        assertThat(a.access() & (org.jnfsd.core.fs.Access.MODIFY | org.jnfsd.core.fs.Access.EXTEND
                | org.jnfsd.core.fs.Access.DELETE)).as("ACCESS grants no writes").isZero();
        assertThat(a.access() & org.jnfsd.core.fs.Access.LOOKUP).isNotZero();
    }

    @Test
    void exports_rwOneTakesWrites_roOneRefuses() throws Exception {
        Nfs two = two();
        byte[] fh = two.writeFile("/srv/data/f", DATA);
        assertThat(two.read(fh)).isEqualTo(DATA);
        assertThat(three().read(three().fh("/srv/data/f"))).as("the other client of the export").isEqualTo(DATA);
        assertThat(two.status(path("/pub/ro"), two.open("g", new OpenHow.Unchecked(Fattr.mode(0644)))))
                .isEqualTo(NfsStatus.NFS4ERR_ROFS);
    }

    /** Puts {@code text} in force as a reload does, keeping the file system of every path that stays. */
    private void reload(String text) throws Exception {
        var ctx = nfs.server().context();
        Map<String, org.jnfsd.vfs.VirtualFileSystem> open = new LinkedHashMap<>();
        ctx.exports().all().forEach(e -> open.put(e.path(), e.fs()));
        ctx.replaceExports(org.jnfsd.core.fs.ExportTable.of(org.jnfsd.core.fs.ExportsFile.parse(text, "reload"),
                path -> open.computeIfAbsent(path, p -> new org.jnfsd.vfs.memory.MemoryFileSystem(
                        java.time.Clock.systemUTC(),
                        org.jnfsd.vfs.memory.MemoryFileSystem.Options.DEFAULTS.withRoot(0777, 0, 0).withFsid(900))),
                org.jnfsd.core.fs.HostResolver.NONE, "reload"));
    }

    @Test
    void reload_addsAndRemovesExports_thePseudoRootFollows_stateOnTheRemovedOneReleased() throws Exception {
        Nfs two = two();
        Nfs three = three();
        byte[] f = two.writeFile("/srv/data/f", DATA);
        three.ok(putfh(f), new org.jnfsd.protocol.nfs4.io.OpenArgs(0, org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_READ,
                org.jnfsd.protocol.nfs4.io.ShareAccess.DENY_NONE, three.newOwner(), new OpenHow.NoCreate(),
                new org.jnfsd.protocol.nfs4.io.OpenClaim.Fh()));
        var opens = nfs.server().context().opens();
        assertThat(opens.openCount(three.client().clientId())).isEqualTo(1);

        reload("/pub/ro 127.0.0.2(ro)\n/home/new 127.0.0.2(rw) 127.0.0.3(rw)\n");
        assertThat(readdir(two, two.fh("/"), AttrBit.TYPE).keySet()).containsExactly("home", "pub");
        assertThat(two.status(putfh(f))).as("a handle of the removed export").isEqualTo(NfsStatus.NFS4ERR_STALE);
        two.writeFile("/home/new/g", DATA);
        assertThat(opens.openCount(three.client().clientId())).as("its open on the removed export, released")
                .isZero();
        assertThat(three.status(PUTROOTFH)).as("torn down with it").isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        Nfs threeAgain = three();
        assertThat(readdir(threeAgain, threeAgain.fh("/"), AttrBit.TYPE).keySet()).containsExactly("home");
    }

    /** Restart with the same exports: handles from before still work, in both exports and the pseudo-fs. */
    @Test
    void restart_sameExports_handlesStillValid(@TempDir Path dir) throws Exception {
            nfs.local(dir);
            Files.createDirectories(dir.resolve("pub/ro"));
            Files.write(dir.resolve("pub/ro/readme"), DATA);
            Files.createDirectories(dir.resolve("srv/data"));
            Files.setPosixFilePermissions(dir.resolve("srv/data"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Nfs before = nfs.clientFrom("127.0.0.2", NfsServerFixture.USER);
            List<byte[]> handles = new ArrayList<>();
            handles.add(before.writeFile("/srv/data/f", DATA));
            handles.add(before.fh("/pub/ro/readme"));
            handles.add(before.fh("/srv/data"));
            handles.add(before.fh("/pub"));
            handles.add(before.fh("/"));
            nfs.restart();
            Nfs after = nfs.clientFrom("127.0.0.2", NfsServerFixture.USER);
            for (byte[] fh : handles) {
                after.ok(putfh(fh), getattr(AttrBit.TYPE));
            }
            assertThat(after.read(handles.get(0))).isEqualTo(DATA);
            assertThat(after.read(handles.get(1))).isEqualTo(DATA);
            assertThat(after.fh("/srv/data/f")).isEqualTo(handles.get(0));
    }
}

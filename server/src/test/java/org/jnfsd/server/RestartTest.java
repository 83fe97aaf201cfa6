package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.GETFH;
import static org.jnfsd.server.Nfs.PUTROOTFH;
import static org.jnfsd.server.Nfs.putfh;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jnfsd.client.NfsClient;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CommitArgs;
import org.jnfsd.protocol.nfs4.io.CommitResult;
import org.jnfsd.protocol.nfs4.io.StableHow;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.io.WriteResult;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.LookupArgs;
import org.jnfsd.protocol.nfs4.namespace.RenameArgs;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionArgs;
import org.jnfsd.protocol.nfs4.session.DestroyClientidArgs;
import org.jnfsd.protocol.nfs4.session.SequenceArgs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of the local backend: handles and contents from before still work after it; the write
 * verifier changes; the old session and client ID are refused.
 */
class RestartTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @TempDir
    Path dir;

    @BeforeEach
    void serveTheTempDir() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        nfs.local(dir);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void restart_oldHandlesStillWork_evenInARenamedDirectory() throws Exception {
        Nfs before = nfs.user();
        byte[] top = before.writeFile("/top.txt", bytes("top level"));
        byte[] d = before.mkdir("/d", 0755);
        byte[] inner = before.writeFile("/d/inner.txt", bytes("inside d"));
        before.ok(PUTROOTFH, Nfs.SAVEFH, PUTROOTFH, new RenameArgs(bytes("d"), bytes("renamed")));
        long innerFileId = (Long) before.attrs(inner, AttrBit.FILEID).get(AttrBit.FILEID);
        byte[] root = before.fh("/");

        nfs.restart();
        Nfs after = nfs.user();

        assertThat(after.read(top)).isEqualTo(bytes("top level"));
        assertThat(after.read(inner)).isEqualTo(bytes("inside d"));
        assertThat(after.attrs(inner, AttrBit.FILEID, AttrBit.SIZE))
                .containsEntry(AttrBit.FILEID, innerFileId).containsEntry(AttrBit.SIZE, 8L);
        assertThat(after.fh("/renamed/inner.txt")).as("the same handle by name").isEqualTo(inner);
        assertThat(after.fh("/renamed")).isEqualTo(d);
        assertThat(after.fh("/")).isEqualTo(root);
        assertThat(after.last(GetFhResult.class, putfh(d), LookupArgs.of("inner.txt"), GETFH).fh()).isEqualTo(inner);
        assertThat(after.last(GetFhResult.class, putfh(d), Nfs.LOOKUPP, GETFH).fh()).isEqualTo(root);
    }

    @Test
    void restart_changesTheWriteVerifier() throws Exception {
        Nfs before = nfs.user();
        byte[] fh = before.writeFile("/f", new byte[0]);
        StateId open = before.openFh(fh);
        WriteResult w = before.last(WriteResult.class, putfh(fh),
                new WriteArgs(open, 0, StableHow.UNSTABLE4, Unpooled.wrappedBuffer(bytes("abc"))));
        byte[] verifierBefore = before.last(CommitResult.class, putfh(fh), new CommitArgs(0, 0)).writeVerifier().bytes();
        assertThat(w.writeVerifier().bytes()).isEqualTo(verifierBefore);

        nfs.restart();
        Nfs after = nfs.user();
        byte[] verifierAfter = after.last(CommitResult.class, putfh(fh), new CommitArgs(0, 0)).writeVerifier().bytes();
        assertThat(verifierAfter).isNotEqualTo(verifierBefore);
        assertThat(after.read(fh)).isEqualTo(bytes("abc"));
    }

    @Test
    void restart_oldSessionAndClientIdAreRefused() throws Exception {
        Nfs before = nfs.user();
        SessionId oldSession = before.client().sessionId();
        long oldClient = before.client().clientId();
        byte[] fh = before.writeFile("/f", bytes("x"));

        nfs.restart();
        NfsClient after = nfs.user().client();
        assertThat(after.compoundWithoutSequence(new SequenceArgs(oldSession, 3, 0, 0, false), putfh(fh)).status())
                .isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        ChannelAttrs fore = new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * 1024, 16, 4, null);
        assertThat(after.compoundWithoutSequence(new CreateSessionArgs(oldClient, 2, 0, fore,
                new ChannelAttrs(0, 4096, 4096, 0, 2, 1, null), NfsClient.DEFAULT_CB_PROGRAM,
                List.of(CallbackSecParms.None.INSTANCE))).status()).isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
        assertThat(after.compoundWithoutSequence(new DestroyClientidArgs(oldClient)).status())
                .isEqualTo(NfsStatus.NFS4ERR_STALE_CLIENTID);
    }
}

package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.server.Nfs.putfh;

import java.nio.charset.StandardCharsets;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code open_arguments} attribute (RFC 9754 §6) over real TCP: in 4.2 it lists exactly the
 * OPEN arguments the server acts on, and an argument it leaves out is refused by OPEN; 4.0 and
 * 4.1 never see it.
 */
class OpenArgumentsTcpTest {
    @RegisterExtension
    final NfsServerFixture nfs = new NfsServerFixture();

    @Test
    void minorVersion2_listsTheImplementedOpenArguments() throws Exception {
        Nfs user = nfs.user();
        byte[] fh = user.writeFile("/f", "x".getBytes(StandardCharsets.UTF_8));

        int[] supported = (int[]) user.attrs(fh, AttrBit.SUPPORTED_ATTRS).get(AttrBit.SUPPORTED_ATTRS);
        int[][] oa = (int[][]) user.attrs(fh, AttrBit.OPEN_ARGUMENTS).get(AttrBit.OPEN_ARGUMENTS);

        assertThat(Bitmap.isSet(supported, AttrBit.OPEN_ARGUMENTS)).isTrue();
        assertThat(Bitmap.trim(oa[0])).as("share access READ, WRITE, BOTH").isEqualTo(Bitmap.of(1, 2, 3));
        assertThat(Bitmap.trim(oa[1])).as("share deny NONE to BOTH").isEqualTo(Bitmap.of(0, 1, 2, 3));
        assertThat(Bitmap.trim(oa[2])).as("wants ANY_DELEG, NO_DELEG, CANCEL, DELEG_TIMESTAMPS, OPEN_XOR_DELEGATION")
                .isEqualTo(Bitmap.of(3, 4, 5, 20, 21));
        assertThat(Bitmap.trim(oa[3])).as("claims NULL, PREVIOUS, DELEGATE_CUR, FH, DELEG_CUR_FH")
                .isEqualTo(Bitmap.of(0, 1, 2, 4, 5));
        assertThat(Bitmap.trim(oa[4])).as("UNCHECKED4, GUARDED4, EXCLUSIVE4, EXCLUSIVE4_1")
                .isEqualTo(Bitmap.of(0, 1, 2, 3));
    }

    @Test
    void theArgumentsLeftOut_areRefusedByOpen() throws Exception {
        Nfs user = nfs.user();
        byte[] root = user.fh("/");
        user.writeFile("/f", "x".getBytes(StandardCharsets.UTF_8));

        OpenArgs prev = new OpenArgs(0, ShareAccess.ACCESS_READ, ShareAccess.DENY_NONE, user.newOwner(),
                new OpenHow.NoCreate(), new OpenClaim.DelegatePrev("f"));

        assertThat(user.status(putfh(root), prev)).as("CLAIM_DELEGATE_PREV (bit 3) is not listed")
                .isEqualTo(NfsStatus.NFS4ERR_NOTSUPP);
    }

    @Test
    void offline_minorVersion2Only_alwaysFalse() throws Exception {
        byte[] fh = nfs.user().writeFile("/f", "x".getBytes(StandardCharsets.UTF_8));
        Nfs v41 = nfs.client(NfsServerFixture.USER, 1);

        int[] supported = (int[]) nfs.user().attrs(fh, AttrBit.SUPPORTED_ATTRS).get(AttrBit.SUPPORTED_ATTRS);

        assertThat(Bitmap.isSet(supported, AttrBit.OFFLINE)).as("RFC 9754's offline (83)").isTrue();
        assertThat(nfs.user().attrs(fh, AttrBit.OFFLINE).get(AttrBit.OFFLINE)).isEqualTo(false);
        assertThat(v41.attrs(fh, AttrBit.OFFLINE)).as("4.2 only").isEmpty();
    }

    @Test
    void minorVersion1_neverSeesIt() throws Exception {
        byte[] fh = nfs.user().writeFile("/f", "x".getBytes(StandardCharsets.UTF_8));
        Nfs v41 = nfs.client(NfsServerFixture.USER, 1);

        int[] supported = (int[]) v41.attrs(fh, AttrBit.SUPPORTED_ATTRS).get(AttrBit.SUPPORTED_ATTRS);

        assertThat(Bitmap.isSet(supported, AttrBit.OPEN_ARGUMENTS)).isFalse();
        assertThat(v41.attrs(fh, AttrBit.OPEN_ARGUMENTS)).as("an unsupported attribute is left out").isEmpty();
    }
}

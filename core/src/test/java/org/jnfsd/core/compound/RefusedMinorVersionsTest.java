package org.jnfsd.core.compound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefusedMinorVersionsTest {
    @Test
    void refused_firstTimePerAddressAndVersion_loggedOnce() throws Exception {
        RefusedMinorVersions r = new RefusedMinorVersions(Set.of(1, 2));
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");

        assertThat(r.refused(a, 0)).isTrue();
        assertThat(r.refused(a, 0)).isFalse();
        assertThat(r.refused(a, 3)).isTrue();
        assertThat(r.refused(b, 0)).isTrue();
    }

    @Test
    void refused_beyondTheBound_notRemembered() throws Exception {
        RefusedMinorVersions r = new RefusedMinorVersions(Set.of(1, 2));
        InetAddress a = InetAddress.getByName("10.0.0.1");
        for (int minor = 3; minor < 3 + RefusedMinorVersions.MAX_REMEMBERED; minor++) {
            r.refused(a, minor);
        }

        assertThat(r.refused(InetAddress.getByName("10.0.0.9"), 0)).isFalse();
    }
}

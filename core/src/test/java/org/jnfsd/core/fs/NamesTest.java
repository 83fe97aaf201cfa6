package org.jnfsd.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static NfsStatus status(String name, int max) {
        return catchThrowableOfType(NfsException.class, () -> Names.checkComponent(name, max)).status();
    }

    @Test
    void checkComponent_badNames_invalBadnameOrNametoolong() {
        assertThat(status("", 255)).isEqualTo(NfsStatus.NFS4ERR_INVAL);
        assertThat(status(".", 255)).isEqualTo(NfsStatus.NFS4ERR_BADNAME);
        assertThat(status("..", 255)).isEqualTo(NfsStatus.NFS4ERR_BADNAME);
        assertThat(status("a/b", 255)).isEqualTo(NfsStatus.NFS4ERR_BADNAME);
        assertThat(status("a\0b", 255)).isEqualTo(NfsStatus.NFS4ERR_BADNAME);
        assertThat(status("\u00e9\u00e9", 3)).as("UTF-8 bytes count").isEqualTo(NfsStatus.NFS4ERR_NAMETOOLONG);
    }

    @Test
    void checkComponent_goodNames_pass() {
        assertThatCode(() -> Names.checkComponent("...", 3)).doesNotThrowAnyException();
        assertThatCode(() -> Names.checkComponent("\u00e9", 2)).doesNotThrowAnyException();
    }
}

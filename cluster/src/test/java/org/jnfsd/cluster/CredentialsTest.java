package org.jnfsd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path tmp;

    private Path file(String text, String mode) throws Exception {
        Path f = tmp.resolve("pg.credentials");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void read_ownerOnly_userAndPassword() throws Exception {
        Credentials c = Credentials.read(file("user = jnfsd\npassword = s3cret\n", "rw-------"));

        assertThat(c).isEqualTo(new Credentials("jnfsd", "s3cret"));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void read_groupReadable_refusedNamingTheMode() throws Exception {
        Path f = file("user=jnfsd\npassword=s3cret\n", "rw-r-----");

        assertThatThrownBy(() -> Credentials.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rw-r-----").hasMessageContaining("chmod 600");
    }

    @Test
    void read_othersReadable_refused() throws Exception {
        Path f = file("user=jnfsd\npassword=s3cret\n", "rw----r--");

        assertThatThrownBy(() -> Credentials.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("others may read it");
    }

    @Test
    void read_noPassword_refusedNamingWhatIsMissing() throws Exception {
        Path f = file("user=jnfsd\n", "rw-------");

        assertThatThrownBy(() -> Credentials.read(f)).hasMessageContaining("password=");
    }
}

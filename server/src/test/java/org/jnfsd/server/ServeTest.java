package org.jnfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code jnfsd serve}'s choices that need no server: the default state directory. */
class ServeTest {
    @Test
    void defaultStateDir_xdgStateHomeSet_underItOnePerExport() {
        Path a = Main.Serve.defaultStateDir(Path.of("/srv/a"), Map.of("XDG_STATE_HOME", "/var/xdg"));
        Path b = Main.Serve.defaultStateDir(Path.of("/srv/b"), Map.of("XDG_STATE_HOME", "/var/xdg"));

        assertThat(a.getParent()).isEqualTo(Path.of("/var/xdg/jnfsd"));
        assertThat(a.getFileName().toString()).matches("[0-9a-f]{16}");
        assertThat(b).isNotEqualTo(a);
        assertThat(Main.Serve.defaultStateDir(Path.of("/srv/a"), Map.of("XDG_STATE_HOME", "/var/xdg"))).isEqualTo(a);
    }

    @Test
    void defaultStateDir_xdgUnsetOrRelative_underHomeLocalState() {
        Path home = Path.of(System.getProperty("user.home"), ".local", "state", "jnfsd");

        assertThat(Main.Serve.defaultStateDir(Path.of("/srv/a"), Map.of()).getParent()).isEqualTo(home);
        assertThat(Main.Serve.defaultStateDir(Path.of("/srv/a"), Map.of("XDG_STATE_HOME", "rel")).getParent())
                .isEqualTo(home);
    }
}

package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

    @Test
    void options_default_delegationsOnUpToTheDefaultLimit() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a");

        assertThat(serve.export(new MemoryFileSystem(Clock.systemUTC())).delegations()).isTrue();
        assertThat(serve.config().maxDelegations()).isEqualTo(ServerConfig.DEFAULT_MAX_DELEGATIONS).isPositive();
    }

    @Test
    void options_noDelegationsAndMaxDelegations_exportOffAndLimitSet() {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs("/srv/a", "--no-delegations", "--max-delegations", "7");

        assertThat(serve.export(new MemoryFileSystem(Clock.systemUTC())).delegations()).isFalse();
        assertThat(serve.config().maxDelegations()).isEqualTo(7);
    }
}

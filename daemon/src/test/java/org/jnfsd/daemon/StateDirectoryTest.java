package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the daemon keeps its state by default, and the lock on it. */
class StateDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void defaultFor_systemdStateDirectory_underItOnePerExport() throws Exception {
        Map<String, String> env = Map.of("STATE_DIRECTORY", "/var/lib/jnfsd:/other", "XDG_STATE_HOME", "/var/xdg");
        Path a = StateDirectory.defaultFor(Path.of("/srv/a"), env, tmp.resolve("absent"), "/home/u");
        Path b = StateDirectory.defaultFor(Path.of("/srv/b"), env, tmp.resolve("absent"), "/home/u");

        assertThat(a.getParent()).isEqualTo(Path.of("/var/lib/jnfsd"));
        assertThat(a.getFileName().toString()).matches("[0-9a-f]{16}");
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void defaultFor_writableSystemBase_beforeXdg() throws Exception {
        Path system = Files.createDirectory(tmp.resolve("varlib"));

        assertThat(StateDirectory.defaultFor(Path.of("/srv/a"), Map.of("XDG_STATE_HOME", "/var/xdg"), system, "/home/u")
                .getParent()).isEqualTo(system);
    }

    @Test
    void defaultFor_noSystemBase_xdgStateHomeThenHome() throws Exception {
        Path absent = tmp.resolve("absent");

        assertThat(StateDirectory.defaultFor(Path.of("/srv/a"), Map.of("XDG_STATE_HOME", "/var/xdg"), absent, "/h")
                .getParent()).isEqualTo(Path.of("/var/xdg/jnfsd"));
        assertThat(StateDirectory.defaultFor(Path.of("/srv/a"), Map.of("XDG_STATE_HOME", "rel"), absent, tmp.toString())
                .getParent()).isEqualTo(tmp.resolve(".local/state/jnfsd"));
    }

    @Test
    void defaultFor_systemUserWithoutHome_clearError() {
        assertThatThrownBy(() -> StateDirectory.defaultFor(Path.of("/srv/a"), Map.of(), tmp.resolve("absent"),
                "/nonexistent"))
                .isInstanceOf(DaemonException.class).hasMessageContaining("pass --state-dir");
    }

    @Test
    void lock_heldThenReleased_secondLockRefusedThenGranted() throws Exception {
        Path dir = tmp.resolve("state");
        try (StateDirectory first = StateDirectory.lock(dir)) {
            assertThat(Files.readString(dir.resolve(StateDirectory.LOCK_FILE)).strip())
                    .isEqualTo("" + ProcessHandle.current().pid());
            assertThatThrownBy(() -> StateDirectory.lock(dir)).isInstanceOf(DaemonException.class)
                    .hasMessageContaining("in use by another jnfsd");
        }
        try (StateDirectory again = StateDirectory.lock(dir)) {
            assertThat(again.path()).isEqualTo(dir);
        }
    }
}

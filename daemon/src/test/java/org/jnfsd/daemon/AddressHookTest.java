package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --service-address-hook}: a real program, run as {@code PROGRAM up|down ADDR}. */
class AddressHookTest {
    @TempDir
    Path tmp;

    /** A hook that appends its arguments to calls.txt and exits {@code rc}. */
    static Path recordingHook(Path dir, int rc) throws IOException {
        Path hook = dir.resolve("hook-" + rc + ".sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$1 $2\" >> '" + dir.resolve("calls.txt") + "'\necho hook says $1\nexit " + rc + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        return hook;
    }

    @Test
    void upAndDown_runTheProgramWithVerbAndAddress() throws Exception {
        AddressHook hook = new AddressHook(recordingHook(tmp, 0), "10.0.0.10");

        hook.up();
        hook.down();

        assertThat(Files.readAllLines(tmp.resolve("calls.txt"))).containsExactly("up 10.0.0.10", "down 10.0.0.10");
    }

    @Test
    void up_programFails_throwsNamingItsExit() throws Exception {
        AddressHook hook = new AddressHook(recordingHook(tmp, 3), "10.0.0.10");

        assertThatThrownBy(hook::up).isInstanceOf(IOException.class).hasMessageContaining("up 10.0.0.10 exited 3");
    }

    @Test
    void down_programFails_loggedNotThrown() throws Exception {
        AddressHook hook = new AddressHook(recordingHook(tmp, 3), "10.0.0.10");

        hook.down();

        assertThat(Files.readAllLines(tmp.resolve("calls.txt"))).containsExactly("down 10.0.0.10");
    }
}

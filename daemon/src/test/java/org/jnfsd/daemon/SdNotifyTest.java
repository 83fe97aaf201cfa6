package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness datagram reaches a socket bound as systemd binds it, by a program that is not
 * this code (Python's socket module): a path, or an abstract name.
 */
class SdNotifyTest {
    private static final String LISTENER = String.join("\n",
            "import socket, sys",
            "name = sys.argv[1]",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind('\\0' + name[1:] if name.startswith('@') else name)",
            "print('bound', flush=True)",
            "print(s.recv(4096).decode(), flush=True)");

    @TempDir
    Path dir;

    @Test
    void ready_reachesASocketByPath() throws Exception {
        String path = dir.resolve("notify").toString();
        assertThat(sendTo(path, "READY=1")).isEqualTo("READY=1");
    }

    @Test
    void stopping_reachesAnAbstractSocket() throws Exception {
        // systemd's own NOTIFY_SOCKET is often abstract: "@/org/freedesktop/systemd1/notify/..."
        assertThat(sendTo("@jnfsd-test-" + UUID.randomUUID(), "STOPPING=1")).isEqualTo("STOPPING=1");
    }

    @Test
    void withoutNotifySocket_nothingIsSent() {
        assertThat(SdNotify.notify(Map.of(), "READY=1")).isFalse();
    }

    @Test
    void aSocketNobodyListensOn_isReportedNotThrown() {
        assertThat(SdNotify.notify(Map.of("NOTIFY_SOCKET", dir.resolve("absent").toString()), "READY=1")).isFalse();
    }

    /** What a listener bound on {@code socket} received after one notification of {@code state}. */
    private static String sendTo(String socket, String state) throws Exception {
        Process listener = new ProcessBuilder("python3", "-c", LISTENER, socket).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("bound");
            assertThat(SdNotify.notify(Map.of("NOTIFY_SOCKET", socket), state)).isTrue();
            return out.readLine();
        } finally {
            listener.destroy();
        }
    }
}

package org.jnfsd.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --service-address-hook}: the program that brings the service address up on this host
 * before the node binds it ({@code HOOK up ADDR}) and takes it down once the node stopped serving
 * ({@code HOOK down ADDR}), e.g. {@code ip addr replace ADDR/24 dev eth0} and an unsolicited ARP.
 * jnfsd moves no address itself: where and how an address lives is the host's business.
 * Each run is bounded by {@link #BOUND}; its output goes to the log. A failed {@code up} fails the
 * start (the lease is released, the next tick tries again); a failed {@code down} is logged.
 */
final class AddressHook {
    private static final Logger log = LoggerFactory.getLogger(AddressHook.class);
    static final Duration BOUND = Duration.ofSeconds(10);

    private final Path program;
    private final String address;

    AddressHook(Path program, String address) {
        this.program = program;
        this.address = address;
    }

    /** {@code HOOK up ADDR}; throws when it fails or overruns. */
    void up() throws IOException {
        run("up");
    }

    /** {@code HOOK down ADDR}; a failure is logged, never thrown (the node has stopped serving). */
    void down() {
        try {
            run("down");
        } catch (IOException e) {
            log.error("service address hook: {} down {} failed: {}", program, address, e.getMessage());
        }
    }

    private void run(String verb) throws IOException {
        Process p = new ProcessBuilder(program.toString(), verb, address).redirectErrorStream(true).start();
        Thread output = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.info("service address hook {}: {}", verb, line);
                }
            } catch (IOException e) {
                log.debug("service address hook output: {}", e.getMessage());
            }
        });
        try {
            if (!p.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(program + " " + verb + " " + address + " still running after " + BOUND.toSeconds() + " s");
            }
            output.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(program + " " + verb + " " + address + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(program + " " + verb + " " + address + " exited " + p.exitValue());
        }
        log.info("service address hook: {} {} {} done", program, verb, address);
    }
}

package org.jnfsd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Rate-limited logging of what a peer can trigger (issue 16: 509 WARN lines in 10 minutes of fuzzing). */
class PeerLogTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final PeerLog peerLog = new PeerLog(Duration.ofSeconds(60), nanos::get);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger("peer-log-test");

    PeerLogTest() {
        lines.start();
        log.addAppender(lines);
    }

    @AfterEach
    void detach() {
        log.detachAppender(lines);
        ((Logger) LoggerFactory.getLogger(RecordMarkingDecoder.class)).detachAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void oneLinePerKindPerInterval_theNextSaysHowManyWereSuppressed() {
        for (int i = 0; i < 5; i++) {
            peerLog.log(log, PeerLog.Level.WARN, "bad", "bad record {}", i);
        }
        peerLog.log(log, PeerLog.Level.WARN, "other", "other kind");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        peerLog.log(log, PeerLog.Level.WARN, "bad", "bad record {}", 5);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        peerLog.log(log, PeerLog.Level.WARN, "bad", "bad record {}", 6);

        assertThat(messages()).containsExactly("bad record 0", "other kind",
                "bad record 6 (5 more like this suppressed in the last PT1M)");
        assertThat(peerLog.suppressed("bad")).isZero();
    }

    @Test
    void aThrowableStaysLast_theCountsGoBeforeIt() {
        peerLog.log(log, PeerLog.Level.ERROR, "e", "failed {}", "x", new IllegalStateException("boom"));
        peerLog.log(log, PeerLog.Level.ERROR, "e", "failed {}", "y", new IllegalStateException("boom"));
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        peerLog.log(log, PeerLog.Level.ERROR, "e", "failed {}", "z", new IllegalStateException("boom"));

        assertThat(messages()).containsExactly("failed x", "failed z (1 more like this suppressed in the last PT1M)");
        assertThat(lines.list.get(1).getThrowableProxy().getMessage()).isEqualTo("boom");
    }

    /** Over TCP: ten connections each sending an oversized record header cost one WARN line, not ten. */
    @Test
    void oversizedRecordsOverTcp_atMostOneWarnLine() throws Exception {
        Logger decoderLog = (Logger) LoggerFactory.getLogger(RecordMarkingDecoder.class);
        decoderLog.addAppender(lines);
        try (RpcServer server = RpcServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .maxRecordSize(1024).program(new TestProgram()).build()) {
            InetSocketAddress address = server.start();
            for (int i = 0; i < 10; i++) {
                try (Socket s = new Socket(address.getAddress(), address.getPort())) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {(byte) 0x80, 0x10, 0, 0}); // last fragment of 1 MiB
                    out.flush();
                    assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                }
            }
        }
        assertThat(lines.list.stream().filter(e -> e.getLoggerName().equals(RecordMarkingDecoder.class.getName())))
                .hasSizeLessThanOrEqualTo(1);
        assertThat(PeerLog.shared().suppressed("record-too-large")).isGreaterThanOrEqualTo(9);
    }
}

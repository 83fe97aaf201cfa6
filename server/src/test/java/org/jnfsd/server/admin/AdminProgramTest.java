package org.jnfsd.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.server.JnfsdServer;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminProgramTest {
    private JnfsdServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        server = JnfsdServer.builder().export(new Export(1, "/", new MemoryFileSystem(Clock.systemUTC()))).port(0)
                .build();
        address = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void stats_listsEveryEventCounterAndTheGauges_withCurrentValues() throws IOException {
        server.context().counters().increment(ServerEvent.CB_RECALL_SENT);
        server.context().counters().add(ServerEvent.DELEGATION_REVOKED, 3);

        Map<String, Long> stats = AdminClient.stats(address);

        for (ServerEvent e : ServerEvent.values()) {
            assertThat(stats).containsKey(e.meterName());
        }
        assertThat(stats).containsEntry("jnfsd.callbacks.recall.sent", 1L)
                .containsEntry("jnfsd.delegations.revoked", 3L)
                .containsEntry("jnfsd.delegations.returned", 0L)
                .containsEntry("jnfsd.callbacks.in_flight", 0L)
                .containsEntry("jnfsd.clients", 0L)
                .containsKeys("jnfsd.delegations.live", "jnfsd.copies.async.tracked");
        assertThat(java.util.List.copyOf(stats.keySet())).isSorted();
    }

    @Test
    void stats_ofAServerThatIsGone_isAReadableIOException() {
        server.close();
        assertThatThrownBy(() -> AdminClient.stats(address)).isInstanceOf(IOException.class)
                .hasMessageContaining(address.toString());
    }

    @Test
    void exports_printsTheTableInForce_andReloadReportsItsOutcome() throws Exception {
        assertThat(AdminClient.exports(address))
                .isEqualTo("/ *(rw,insecure,no_root_squash,anonuid=65534,anongid=65534,sec=sys)\n");
        AdminClient.ReloadOutcome none = AdminClient.reloadExports(address);
        assertThat(none.ok()).isFalse();
        assertThat(none.message()).contains("no exports file");

        var ctx = server.context();
        ctx.exportsReloader(() -> {
            throw new Exception("exports:1:9: unknown option 'bogus'");
        });
        assertThat(AdminClient.reloadExports(address)).isEqualTo(new AdminClient.ReloadOutcome(false,
                "exports:1:9: unknown option 'bogus'"));
        ctx.exportsReloader(() -> {
            ctx.replaceExports(new org.jnfsd.core.fs.ExportTable(java.util.List.of(ctx.exports().all().getFirst()
                    .withRules(org.jnfsd.core.fs.ExportsFile.parse("/ 127.0.0.2(ro)\n", "t").getFirst().rules()))));
            return "re-read";
        });
        assertThat(AdminClient.reloadExports(address)).isEqualTo(new AdminClient.ReloadOutcome(true, "re-read"));
        assertThat(AdminClient.exports(address))
                .isEqualTo("/ 127.0.0.2(ro,insecure,root_squash,anonuid=65534,anongid=65534,sec=sys)\n");
    }
}

package org.jnfsd.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which rule applies to a client: {@link Export#ruleFor} and the specs' matching. */
class ExportRuleTest {
    private static final InetAddress LAB5 = InetAddress.ofLiteral("192.168.1.5");
    private static final InetAddress LAB6 = InetAddress.ofLiteral("192.168.1.6");
    private static final InetAddress OTHER = InetAddress.ofLiteral("10.9.9.9");

    /** 192.168.1.5 is ws5.lab.example, 192.168.1.6 has no name; server.lab.example is 192.168.1.5. */
    private static final HostResolver DNS = new HostResolver() {
        @Override
        public List<InetAddress> addressesOf(String name) {
            return name.equals("server.lab.example") ? List.of(LAB5) : List.of();
        }

        @Override
        public Optional<String> nameOf(InetAddress a) {
            return Optional.ofNullable(Map.of(LAB5, "WS5.lab.example").get(a));
        }
    };

    private static String ruleFor(String line, InetAddress client) throws Exception {
        ExportLine l = ExportsFile.parse(line + "\n", "t").getFirst();
        return new Export(1, l.path(), null, l.rules(), true).ruleFor(client, DNS)
                .map(r -> r.client().toString()).orElse("none");
    }

    @Test
    void ruleFor_hostBeatsNetworkBeatsWildcardBeatsEveryone_whateverTheOrder() throws Exception {
        assertThat(ruleFor("/s *(rw) *.lab.example 192.168.0.0/16 192.168.1.5", LAB5)).isEqualTo("192.168.1.5");
        assertThat(ruleFor("/s *(rw) *.lab.example 192.168.0.0/16", LAB5)).isEqualTo("192.168.0.0/16");
        assertThat(ruleFor("/s *(rw) *.lab.example", LAB5)).isEqualTo("*.lab.example");
        assertThat(ruleFor("/s *(rw) *.lab.example", LAB6)).isEqualTo("*");
        assertThat(ruleFor("/s *.lab.example server.lab.example", LAB5)).isEqualTo("server.lab.example");
    }

    @Test
    void ruleFor_longerPrefixWins_thenFirstWritten() throws Exception {
        assertThat(ruleFor("/s 192.168.0.0/16 192.168.1.0/24", LAB5)).isEqualTo("192.168.1.0/24");
        assertThat(ruleFor("/s 192.168.1.0/24 192.168.0.0/16", LAB5)).isEqualTo("192.168.1.0/24");
        assertThat(ruleFor("/s ws?.lab.example *.example", LAB5)).isEqualTo("ws?.lab.example");
        assertThat(ruleFor("/s *.example ws?.lab.example", LAB5)).isEqualTo("*.example");
    }

    @Test
    void ruleFor_noMatch_empty() throws Exception {
        assertThat(ruleFor("/s 192.168.1.0/24 *.lab.example", OTHER)).isEqualTo("none");
        assertThat(ruleFor("/s ws6.lab.example", LAB6)).as("no reverse name").isEqualTo("none");
        assertThat(ruleFor("/s 2001:db8::/32", LAB5)).as("other family").isEqualTo("none");
    }

    @Test
    void matches_namesCaseInsensitive_forwardOrReverse() throws Exception {
        assertThat(ruleFor("/s ws5.LAB.example", LAB5)).as("reverse name").isEqualTo("ws5.lab.example");
        assertThat(ruleFor("/s server.lab.example", LAB5)).as("forward lookup").isEqualTo("server.lab.example");
        assertThat(ruleFor("/s server.lab.example", LAB6)).isEqualTo("none");
    }

    @Test
    void matches_networks_v4AndV6() throws Exception {
        assertThat(ruleFor("/s 192.168.1.4/31", LAB5)).isEqualTo("192.168.1.4/31");
        assertThat(ruleFor("/s 192.168.1.6/31", LAB5)).isEqualTo("none");
        assertThat(ruleFor("/s 0.0.0.0/0", OTHER)).isEqualTo("0.0.0.0/0");
        assertThat(ruleFor("/s 2001:db8::/32", InetAddress.ofLiteral("2001:db8:1::7"))).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        assertThat(ruleFor("/s 2001:db8::/33", InetAddress.ofLiteral("2001:db8:8000::7"))).isEqualTo("none");
        assertThat(ruleFor("/s ::1", InetAddress.ofLiteral("::1"))).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void identity_squashOptions_mapCallers() {
        var root = new org.jnfsd.rpc.Credential.AuthSys(1, "m", 0, 0, new int[] {5});
        var user = new org.jnfsd.rpc.Credential.AuthSys(1, "m", 1000, 100, new int[0]);
        ExportOptions o = ExportOptions.READ_WRITE.withAnonUid(77).withAnonGid(88);
        assertThat(Identity.of(root, o).uid()).isEqualTo(77);
        assertThat(Identity.of(root, o).gid()).isEqualTo(88);
        assertThat(Identity.of(user, o).uid()).isEqualTo(1000);
        assertThat(Identity.of(root, o.withSquash(ExportOptions.Squash.NO_ROOT_SQUASH)).uid()).isZero();
        assertThat(Identity.of(user, o.withSquash(ExportOptions.Squash.ALL_SQUASH)).uid()).isEqualTo(77);
        assertThat(Identity.of(user, o.withSquash(ExportOptions.Squash.ALL_SQUASH)).gids()).isEmpty();
    }
}

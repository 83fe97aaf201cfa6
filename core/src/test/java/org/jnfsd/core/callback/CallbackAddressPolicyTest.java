package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class CallbackAddressPolicyTest {
    private static InetSocketAddress at(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Test
    void clientOnly_theClientsOwnAddress_anyPortButZero() throws Exception {
        InetAddress client = InetAddress.getByName("10.77.0.2");

        assertThat(CallbackAddressPolicy.CLIENT_ONLY.refusal(at("10.77.0.2", 40000), client)).isNull();
        assertThat(CallbackAddressPolicy.CLIENT_ONLY.refusal(at("10.77.0.3", 40000), client))
                .contains("not the address the client connects from");
        assertThat(CallbackAddressPolicy.CLIENT_ONLY.refusal(at("10.77.0.2", 0), client)).isEqualTo("port 0");
    }

    @Test
    void parse_networks_onlyInsideThem_theClientsOwnNotImplied() throws Exception {
        CallbackAddressPolicy p = CallbackAddressPolicy.parse(" 10.77.0.0/24, 192.0.2.7 ,fd00::/8");
        InetAddress client = InetAddress.getByName("198.51.100.1");

        assertThat(p.refusal(at("10.77.0.200", 1), client)).isNull();
        assertThat(p.refusal(at("192.0.2.7", 1), client)).isNull();
        assertThat(p.refusal(at("fd12::1", 1), client)).isNull();
        assertThat(p.refusal(at("10.77.1.1", 1), client)).contains("outside --callback-addresses");
        assertThat(p.refusal(at("198.51.100.1", 1), client)).as("the client's own address only when listed").isNotNull();
    }

    @Test
    void parse_empty_clientOnly() {
        assertThat(CallbackAddressPolicy.parse("")).isSameAs(CallbackAddressPolicy.CLIENT_ONLY);
        assertThat(CallbackAddressPolicy.parse(" , ")).isSameAs(CallbackAddressPolicy.CLIENT_ONLY);
    }

    @Test
    void parse_nameOrBadPrefix_refusedNamingTheEntry() {
        assertThatThrownBy(() -> CallbackAddressPolicy.parse("10.0.0.0/8,client.example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'client.example'");
        assertThatThrownBy(() -> CallbackAddressPolicy.parse("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix out of 0..32");
        assertThatThrownBy(() -> CallbackAddressPolicy.parse("10.0.0.0/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
    }
}

package org.jnfsd.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class V40CallbackAddressTest {
    @Test
    void parse_tcp_hostAndTwoPortOctets() throws Exception {
        assertThat(V40CallbackAddress.parse("tcp", "10.77.0.2.3.232"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("10.77.0.2"), 1000));
    }

    @Test
    void parse_tcp6_literalAndPort() throws Exception {
        assertThat(V40CallbackAddress.parse("tcp6", "fe80::1.0.111"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("fe80::1"), 111));
    }

    @Test
    void parse_malformed_refusedNamingIt() {
        assertThatThrownBy(() -> V40CallbackAddress.parse("udp", "10.0.0.1.0.1")).hasMessageContaining("netid");
        assertThatThrownBy(() -> V40CallbackAddress.parse("tcp", "10.0.0.1")).hasMessageContaining("not a tcp");
        assertThatThrownBy(() -> V40CallbackAddress.parse("tcp", "10.0.0.1.1.256")).hasMessageContaining("256");
        assertThatThrownBy(() -> V40CallbackAddress.parse("tcp", "example.org.0.1")).hasMessageContaining("not a tcp");
        assertThatThrownBy(() -> V40CallbackAddress.parse("tcp", "fe80::1.0.1")).hasMessageContaining("not a tcp");
        assertThatThrownBy(() -> V40CallbackAddress.parse("tcp", "1.2.3.4.x.1")).hasMessageContaining("port octet");
    }
}

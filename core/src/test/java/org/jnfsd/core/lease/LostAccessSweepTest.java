package org.jnfsd.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@link LostAccessSweep#addressOf}: the host of ClientInfo's "host:port", or null when there is none. */
class LostAccessSweepTest {
    @Test
    void addressOf_ipv4HostPort_theHost() throws Exception {
        assertThat(LostAccessSweep.addressOf("192.0.2.7:801")).isEqualTo(InetAddress.ofLiteral("192.0.2.7"));
    }

    @Test
    void addressOf_ipv6HostPort_splitAtTheLastColon() throws Exception {
        assertThat(LostAccessSweep.addressOf("2001:db8::5:2049")).isEqualTo(InetAddress.ofLiteral("2001:db8::5"));
    }

    @Test
    void addressOf_noColonOrLeadingColon_null() {
        assertThat(LostAccessSweep.addressOf("192.0.2.7")).isNull();
        assertThat(LostAccessSweep.addressOf(":2049")).isNull();
        assertThat(LostAccessSweep.addressOf("")).isNull();
    }

    @Test
    void addressOf_hostNameNotALiteral_null() {
        assertThat(LostAccessSweep.addressOf("client.example:2049")).isNull();
    }
}

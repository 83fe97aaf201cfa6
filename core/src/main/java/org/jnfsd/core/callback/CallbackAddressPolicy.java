package org.jnfsd.core.callback;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.fs.ClientSpec;
import org.jnfsd.core.fs.HostResolver;

/**
 * Where the server may open an NFSv4.0 callback connection ({@code jnfsd serve --callback-addresses}).
 * By default ({@link #CLIENT_ONLY}) only to the address the client's own request came from, any
 * port but 0; with networks given, only to an address inside one of them (the client's own address
 * is then allowed only when a network holds it). Either way a SETCLIENTID can never turn the server
 * into a port scanner of other hosts. Immutable.
 */
public final class CallbackAddressPolicy {
    /** Only the address the client connected from. */
    public static final CallbackAddressPolicy CLIENT_ONLY = new CallbackAddressPolicy(List.of());

    private final List<ClientSpec.Network> networks;

    private CallbackAddressPolicy(List<ClientSpec.Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /**
     * A comma-separated list of addresses and CIDR networks ("10.77.0.0/24,fd00::/8,192.0.2.7"); an
     * empty string is {@link #CLIENT_ONLY}. Literal addresses only: no name is looked up.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or network
     */
    public static CallbackAddressPolicy parse(String list) {
        List<ClientSpec.Network> nets = new ArrayList<>();
        for (String raw : list.split(",")) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            String host = slash < 0 ? e : e.substring(0, slash);
            if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("callback address '" + e + "': not an IP address or CIDR network");
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(host); // a literal (checked above): no lookup
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("callback address '" + e + "': " + ex.getMessage(), ex);
            }
            int bits = a.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(e.substring(slash + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("callback address '" + e + "': prefix is not a number", ex);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("callback address '" + e + "': prefix out of 0.." + bits);
            }
            nets.add(new ClientSpec.Network(a, prefix));
        }
        return nets.isEmpty() ? CLIENT_ONLY : new CallbackAddressPolicy(nets);
    }

    /**
     * Whether the server may connect to {@code callback} for a client whose requests come from
     * {@code source}; null when it may, else why not (for the log line).
     */
    public String refusal(InetSocketAddress callback, InetAddress source) {
        if (callback.getPort() == 0) {
            return "port 0";
        }
        InetAddress a = callback.getAddress();
        if (networks.isEmpty()) {
            return a.equals(source) ? null : "not the address the client connects from (" + source.getHostAddress()
                    + "); see --callback-addresses";
        }
        for (ClientSpec.Network n : networks) {
            if (n.matches(a, HostResolver.NONE)) {
                return null;
            }
        }
        return "outside --callback-addresses " + this;
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "(the client's own address)" : String.join(",",
                networks.stream().map(ClientSpec.Network::toString).toList());
    }
}

package org.jnfsd.core.callback;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where an NFSv4.0 client serves its callback program (SETCLIENTID's cb_client4, RFC 7530
 * §16.33), and whether the server may connect there. The universal address (RFC 5665 §5.2.3.3)
 * is the host address followed by the port as two decimal octets: "10.77.0.2.3.232" is
 * 10.77.0.2 port 3 × 256 + 232 = 1000 for netid "tcp", "fe80::1.3.232" for "tcp6".
 *
 * <p>Policy: the server connects only to the address the client's request came from (any port),
 * so a SETCLIENTID can never make it open connections elsewhere (a port scanner). Stateless.
 */
public final class V40CallbackAddress {
    private V40CallbackAddress() {}

    /**
     * The socket address of {@code uaddr}.
     *
     * @throws IllegalArgumentException for a netid other than tcp/tcp6, or a malformed address
     */
    public static InetSocketAddress parse(String netid, String uaddr) {
        String id = netid.toLowerCase(Locale.ROOT);
        if (!id.equals("tcp") && !id.equals("tcp6")) {
            throw new IllegalArgumentException("netid '" + netid + "': only tcp and tcp6 callbacks are served");
        }
        int last = uaddr.lastIndexOf('.');
        int prev = last > 0 ? uaddr.lastIndexOf('.', last - 1) : -1;
        if (prev <= 0) {
            throw new IllegalArgumentException("universal address '" + uaddr + "' has no port");
        }
        int hi = octet(uaddr.substring(prev + 1, last), uaddr);
        int lo = octet(uaddr.substring(last + 1), uaddr);
        String host = uaddr.substring(0, prev);
        boolean v6 = host.indexOf(':') >= 0;
        if (v6 != id.equals("tcp6") || !v6 && !host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || v6 && !host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("universal address '" + uaddr + "' is not a " + id + " address");
        }
        try {
            // a numeric literal only (checked above): no name lookup
            return new InetSocketAddress(InetAddress.getByName(host), hi * 256 + lo);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("universal address '" + uaddr + "': " + e.getMessage(), e);
        }
    }

    private static int octet(String s, String uaddr) {
        if (!s.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("universal address '" + uaddr + "': port octet '" + s + "'");
        }
        int v = Integer.parseInt(s);
        if (v > 255) {
            throw new IllegalArgumentException("universal address '" + uaddr + "': port octet " + v + " > 255");
        }
        return v;
    }
}

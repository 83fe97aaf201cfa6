package org.jnfsd.core.fs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who an export rule applies to, as written in an exports file: one host by address or by name, a
 * network in CIDR notation, a name wildcard ({@code *}, {@code ?}) or everyone ({@code *}).
 *
 * <p>{@link #kind()} orders specs by how specific they are, as exports(5) does: a single host beats
 * a network, a network beats a wildcard, a wildcard beats everyone. Among networks the longer
 * prefix wins; otherwise the rule written first wins.
 */
public sealed interface ClientSpec {

    /** Specificity classes, most specific first. */
    enum Kind { HOST, NETWORK, WILDCARD, EVERYONE }

    Kind kind();

    boolean matches(InetAddress client, HostResolver resolver);

    /** The spec as it is written in an exports file. */
    @Override
    String toString();

    /** One host by its address. */
    record Address(InetAddress address) implements ClientSpec {
        @Override
        public Kind kind() {
            return Kind.HOST;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            return address.equals(client);
        }

        @Override
        public String toString() {
            return address.getHostAddress();
        }
    }

    /** One host by its name: matches the addresses the name resolves to, or a client whose reverse name it is. */
    record Host(String name) implements ClientSpec {
        public Host {
            name = name.toLowerCase(Locale.ROOT);
        }

        @Override
        public Kind kind() {
            return Kind.HOST;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            if (resolver.addressesOf(name).contains(client)) {
                return true;
            }
            return resolver.nameOf(client).map(n -> n.toLowerCase(Locale.ROOT).equals(name)).orElse(false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A network: the first {@code prefix} bits of the address. */
    record Network(InetAddress base, int prefix) implements ClientSpec {
        public Network {
            int bits = base.getAddress().length * 8;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix " + prefix + " out of 0.." + bits);
            }
            base = masked(base, prefix);
        }

        @Override
        public Kind kind() {
            return Kind.NETWORK;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            if (client.getAddress().length != base.getAddress().length) {
                return false;
            }
            return masked(client, prefix).equals(base);
        }

        private static InetAddress masked(InetAddress a, int prefix) {
            byte[] b = a.getAddress();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.clamp(prefix - i * 8L, 0, 8);
                b[i] = (byte) (b[i] & (0xff00 >>> keep));
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return base.getHostAddress() + "/" + prefix;
        }
    }

    /** A host-name pattern with {@code *} (any run of characters) and {@code ?} (one character). */
    record Wildcard(String pattern) implements ClientSpec {
        public Wildcard {
            pattern = pattern.toLowerCase(Locale.ROOT);
        }

        @Override
        public Kind kind() {
            return Kind.WILDCARD;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            return resolver.nameOf(client).map(n -> regex().matcher(n.toLowerCase(Locale.ROOT)).matches()).orElse(false);
        }

        private Pattern regex() {
            StringBuilder re = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.toString());
        }

        @Override
        public String toString() {
            return pattern;
        }
    }

    /** Every client. */
    record Everyone() implements ClientSpec {
        @Override
        public Kind kind() {
            return Kind.EVERYONE;
        }

        @Override
        public boolean matches(InetAddress client, HostResolver resolver) {
            return true;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /** The IPv4 loopback host, the one client {@code jnfsd serve DIR} exports to. */
    static ClientSpec localhost() {
        return new Address(Inet4Address.ofLiteral("127.0.0.1"));
    }
}

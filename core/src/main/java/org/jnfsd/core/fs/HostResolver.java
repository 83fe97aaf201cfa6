package org.jnfsd.core.fs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Name lookups for client specs given by host name or wildcard. Injected so tests (and embedders
 * without DNS) decide what a name means; {@link #SYSTEM} asks the platform resolver.
 */
public interface HostResolver {

    /** The addresses a host name stands for; empty when it does not resolve. */
    List<InetAddress> addressesOf(String name);

    /** The name of a client address (reverse lookup); empty when it has none. */
    Optional<String> nameOf(InetAddress address);

    /** No names at all: only address and network specs (and {@code *}) can match. */
    HostResolver NONE = new HostResolver() {
        @Override
        public List<InetAddress> addressesOf(String name) {
            return List.of();
        }

        @Override
        public Optional<String> nameOf(InetAddress address) {
            return Optional.empty();
        }
    };

    /** The platform resolver (DNS, /etc/hosts). */
    HostResolver SYSTEM = new HostResolver() {
        @Override
        public List<InetAddress> addressesOf(String name) {
            try {
                return List.of(InetAddress.getAllByName(name));
            } catch (UnknownHostException e) {
                return List.of();
            }
        }

        @Override
        public Optional<String> nameOf(InetAddress address) {
            String name = address.getCanonicalHostName();
            return name.equals(address.getHostAddress()) ? Optional.empty() : Optional.of(name);
        }
    };
}

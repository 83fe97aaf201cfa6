package org.jnfsd.core.fs;

/** One {@code client(options)} of an export line. */
public record ClientRule(ClientSpec client, ExportOptions options) {

    /** A rule for every client. */
    public static ClientRule everyone(ExportOptions options) {
        return new ClientRule(new ClientSpec.Everyone(), options);
    }

    @Override
    public String toString() {
        return client + "(" + options + ")";
    }
}

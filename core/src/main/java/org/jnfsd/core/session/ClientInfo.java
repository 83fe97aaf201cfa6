package org.jnfsd.core.session;

import java.nio.charset.StandardCharsets;

/**
 * What a client said about itself in the EXCHANGE_ID that made its record, for logs and
 * {@code jnfsd clients}: its address, minor version, owner string (printable) and implementation id.
 */
public record ClientInfo(String address, int minorVersion, String owner, String implementation) {
    /** Before EXCHANGE_ID described it (records made by tests through the manager directly). */
    public static final ClientInfo UNKNOWN = new ClientInfo("?", 0, "?", "");

    /** The owner id as text: UTF-8 where it is printable ASCII (Linux: "Linux NFSv4.1 host"), else hex. */
    public static String printable(byte[] ownerId) {
        for (byte b : ownerId) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + java.util.HexFormat.of().formatHex(ownerId);
            }
        }
        return new String(ownerId, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "from " + address + " (NFSv4." + minorVersion + ", owner \"" + owner + "\""
                + (implementation.isEmpty() ? "" : ", " + implementation) + ")";
    }
}

package org.jnfsd.cluster;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.jnfsd.core.fs.HandleKey;

/**
 * Secrets every node of the cluster must share, kept in {@code cluster_secret}: made by the first
 * node that asks (an INSERT that loses to a concurrent one changes nothing) and read by every
 * other, so all nodes hold the same value.
 *
 * <p>The file handle key: handles are sealed with an HMAC (see {@link HandleKey}), and a client
 * that fails over must find its handles valid on the node that takes over, as after a restart of
 * one node. Anyone who can read the cluster database can forge handles, as anyone who can read a
 * single node's state directory can: the database's credentials are the secret to guard.
 */
public final class ClusterSecrets {
    static final String HANDLE_KEY = "handle_key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterSecrets() {}

    /** The cluster's file handle key, made on first use. */
    public static HandleKey handleKey(ClusterDatabase db) {
        byte[] fresh = new byte[HandleKey.KEY_LENGTH];
        RANDOM.nextBytes(fresh);
        byte[] secret = db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO cluster_secret (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                p.setString(1, HANDLE_KEY);
                p.setBytes(2, fresh);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("SELECT value FROM cluster_secret WHERE name = ?")) {
                p.setString(1, HANDLE_KEY);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getBytes(1);
                }
            }
        });
        try {
            return HandleKey.of(secret);
        } catch (IllegalArgumentException e) {
            throw new ClusterException("the cluster's handle key is damaged: " + e.getMessage(), e);
        }
    }
}

package org.jnfsd.core.session;

import java.time.Clock;
import org.jnfsd.core.ServerConfig;

/**
 * Client records and sessions (EXCHANGE_ID, CREATE_SESSION, SEQUENCE, ...). Placeholder: the
 * sessions work fills this in.
 */
public final class SessionManager {
    public SessionManager(ServerConfig config, Clock clock) {}
}

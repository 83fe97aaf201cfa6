package org.jnfsd.core.state;

import java.time.Clock;
import org.jnfsd.core.ServerConfig;

/** Open stateids (OPEN, CLOSE, READ/WRITE validation). Placeholder: the I/O work fills this in. */
public final class OpenStates {
    public OpenStates(ServerConfig config, Clock clock) {}
}

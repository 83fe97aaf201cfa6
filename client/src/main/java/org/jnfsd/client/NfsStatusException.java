package org.jnfsd.client;

import java.io.IOException;
import org.jnfsd.protocol.nfs4.NfsStatus;

/** The server answered a step {@link NfsClient} itself takes (connect, destroy) with an error status. */
public final class NfsStatusException extends IOException {
    private final NfsStatus status;

    public NfsStatusException(NfsStatus status, String message) {
        super(message + ": " + status);
        this.status = status;
    }

    public NfsStatus status() {
        return status;
    }
}

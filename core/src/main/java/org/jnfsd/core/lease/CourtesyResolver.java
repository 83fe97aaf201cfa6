package org.jnfsd.core.lease;

import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ConflictResolver;

/**
 * Expires a courtesy client whose state conflicts with another client's request, and tears it
 * down on the caller's thread (which holds no state lock, as {@link ConflictResolver} requires).
 */
public final class CourtesyResolver implements ConflictResolver {
    private final SessionManager sessions;
    private final ClientTeardown teardown;

    public CourtesyResolver(SessionManager sessions, ClientTeardown teardown) {
        this.sessions = sessions;
        this.teardown = teardown;
    }

    @Override
    public Outcome expireIfCourtesy(long clientId) {
        SessionManager.Expiry e = sessions.expireIfCourtesy(clientId);
        if (e == null) {
            return Outcome.NOT_COURTESY;
        }
        if (!e.tearDownNow()) {
            return Outcome.EXPIRING;
        }
        teardown.tearDown(e.client());
        return Outcome.EXPIRED;
    }
}

package org.jnfsd.core.lease;

import java.util.List;
import java.util.Set;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ConflictResolver;

/**
 * Expires courtesy clients whose state conflicts with another client's request, all or none, and
 * tears them down on the caller's thread (which holds no state lock, as {@link ConflictResolver}
 * requires). The lock table calls {@link #expireIfCourtesy} / {@link #expireIfAllCourtesy} for a
 * conflicting LOCK the same way OPEN does.
 */
public final class CourtesyResolver implements ConflictResolver {
    private final SessionManager sessions;
    private final ClientTeardown teardown;

    public CourtesyResolver(SessionManager sessions, ClientTeardown teardown) {
        this.sessions = sessions;
        this.teardown = teardown;
    }

    @Override
    public Outcome expireIfAllCourtesy(Set<Long> clientIds) {
        List<SessionManager.Expiry> expired = sessions.expireIfAllCourtesy(clientIds);
        if (expired == null) {
            return Outcome.NOT_COURTESY;
        }
        boolean deferred = false;
        for (SessionManager.Expiry e : expired) {
            if (e.tearDownNow()) {
                teardown.tearDown(e.client());
            } else {
                deferred = true;
            }
        }
        return deferred ? Outcome.EXPIRING : Outcome.EXPIRED;
    }
}

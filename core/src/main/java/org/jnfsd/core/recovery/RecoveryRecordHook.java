package org.jnfsd.core.recovery;

import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;

/**
 * The recovery store's part in a client's teardown: a destroyed or expired client loses its right
 * to reclaim after a restart, as knfsd removes the client from nfsdcld's database.
 */
public final class RecoveryRecordHook implements ClientStateHook {
    private final GracePeriod grace;

    public RecoveryRecordHook(GracePeriod grace) {
        this.grace = grace;
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.FORGET_RECOVERY_RECORD;
    }

    @Override
    public void releaseClient(long clientId) {
        grace.clientDestroyed(clientId);
    }

    /** A recovery record never keeps a client busy: DESTROY_CLIENTID may always remove it. */
    @Override
    public boolean hasState(long clientId) {
        return false;
    }
}

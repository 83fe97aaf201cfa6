package org.jnfsd.core.state.lock;

import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;

/** The lock table's part in a client's teardown: its locks go before the opens they hang on. */
public final class LockTeardownHook implements ClientStateHook {
    private final LockManager locks;

    public LockTeardownHook(LockManager locks) {
        this.locks = locks;
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.RELEASE_LOCKS;
    }

    @Override
    public void releaseClient(long clientId) {
        locks.releaseClient(clientId);
    }

    @Override
    public boolean hasState(long clientId) {
        return locks.lockStateCount(clientId) > 0;
    }
}

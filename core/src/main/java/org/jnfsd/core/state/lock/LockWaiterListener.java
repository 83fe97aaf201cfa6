package org.jnfsd.core.state.lock;

import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.io.OpenOwner;

/**
 * Told when a queued blocking lock (READW_LT / WRITEW_LT) becomes grantable, once per denial of
 * that waiter: the hook for CB_NOTIFY_LOCK (RFC 8881 §20.11), sent by {@link LockNotifier}. Called
 * without any lock manager lock held, on the thread of the request (or laundromat run) that freed
 * the range; it must not block.
 */
@FunctionalInterface
public interface LockWaiterListener {
    LockWaiterListener NONE = (owner, file) -> { };

    /** {@code owner.clientId()} is the client to notify. */
    void eligible(OpenOwner owner, FileHandle file);
}

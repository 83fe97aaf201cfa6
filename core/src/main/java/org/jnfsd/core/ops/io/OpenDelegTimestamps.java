package org.jnfsd.core.ops.io;

import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.ShareAccess;

/**
 * OPEN4_SHARE_ACCESS_WANT_DELEG_TIMESTAMPS (RFC 9754, "Proxying of Times"; NFSv4.2 only): a
 * delegation granted to an OPEN that wants it delegates the times too, and is answered as
 * OPEN_DELEGATE_READ_ATTRS_DELEG or OPEN_DELEGATE_WRITE_ATTRS_DELEG, as knfsd does for both
 * kinds. The delegation is marked ({@link Delegation#delegateTimestamps}) before the reply, so
 * CB_GETATTR asks its holder for time_deleg_access/modify and SETATTR accepts them from it
 * ({@code DelegatedTimes}). Without the want, or without a delegation, nothing changes.
 */
final class OpenDelegTimestamps {
    private OpenDelegTimestamps() {}

    static OpenDelegation apply(CompoundContext ctx, int shareAccess, OpenDelegation offered) {
        if ((shareAccess & ShareAccess.WANT_DELEG_TIMESTAMPS) == 0) {
            return offered;
        }
        return switch (offered) {
            case OpenDelegation.Read r -> mark(ctx, r.stateId())
                    ? new OpenDelegation.Read(r.stateId(), r.recall(), r.permissions(), true) : offered;
            case OpenDelegation.Write w -> mark(ctx, w.stateId())
                    ? new OpenDelegation.Write(w.stateId(), w.recall(), w.spaceLimit(), w.permissions(), true) : offered;
            default -> offered;
        };
    }

    /** Marks the client's delegation; false when it is gone already (then offered as it is). */
    private static boolean mark(CompoundContext ctx, org.jnfsd.protocol.nfs4.StateId stateId) {
        Delegation d = ctx.server().delegations().find(ctx.clientId(), stateId);
        if (d == null) {
            return false;
        }
        d.delegateTimestamps();
        return true;
    }
}

package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.AttrBit;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.DelegatedTimes;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.SetAttributes.TimeValue;
import org.jnfsd.vfs.Stat;

/**
 * SETATTR of time_deleg_access / time_deleg_modify (RFC 9754, "Proxying of Times"): only the
 * holder of a timestamps delegation on the file sets them, and its SETATTR names that delegation's
 * stateid; any other stateid (an open's, another client's, a plain delegation's, a special one) is
 * NFS4ERR_BAD_STATEID, as knfsd answers. The delegation is the authority for these times, so the
 * POSIX rule for setting a given time (owner or root) does not apply to them; a reported time not
 * later than the file's own is ignored ({@link DelegatedTimes}). The reply's attrsset still lists
 * them, as knfsd does.
 */
final class SetattrDelegatedTimes {
    private SetattrDelegatedTimes() {}

    static boolean asked(int[] mask) {
        return Bitmap.isSet(mask, AttrBit.TIME_DELEG_ACCESS) || Bitmap.isSet(mask, AttrBit.TIME_DELEG_MODIFY);
    }

    /** NFS4ERR_BAD_STATEID unless {@code stateId} is this client's live timestamps delegation on {@code fh}. */
    static void checkHolder(CompoundContext ctx, StateId stateId, FileHandle fh) throws NfsException {
        Delegation d = ctx.server().delegations().find(ctx.clientId(), stateId);
        if (d == null || !d.isLive() || !d.file().equals(fh) || !d.timestamps()) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID,
                    "time_deleg_* set with " + stateId + ", not a timestamps delegation on " + fh);
        }
    }

    /** {@code a} without the delegated times: what the POSIX permission checks look at. */
    static SetAttributes withoutDelegated(SetAttributes a, int[] mask) {
        return new SetAttributes(a.mode(), a.uid(), a.gid(), a.size(),
                Bitmap.isSet(mask, AttrBit.TIME_DELEG_ACCESS) ? null : a.atime(),
                Bitmap.isSet(mask, AttrBit.TIME_DELEG_MODIFY) ? null : a.mtime());
    }

    /** {@code a} with each delegated time kept only when later than the file's. */
    static SetAttributes vetted(SetAttributes a, int[] mask, Stat st) {
        TimeValue atime = Bitmap.isSet(mask, AttrBit.TIME_DELEG_ACCESS) ? newer(a.atime(), st.atime()) : a.atime();
        TimeValue mtime = Bitmap.isSet(mask, AttrBit.TIME_DELEG_MODIFY) ? newer(a.mtime(), st.mtime()) : a.mtime();
        return new SetAttributes(a.mode(), a.uid(), a.gid(), a.size(), atime, mtime);
    }

    private static TimeValue newer(TimeValue t, java.time.Instant current) {
        if (t == null || t.isServerNow()) {
            return t;
        }
        java.time.Instant kept = DelegatedTimes.newer(t.instant(), current);
        return kept == null ? null : TimeValue.of(kept);
    }
}

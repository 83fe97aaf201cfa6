package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPEN4_SHARE_ACCESS_WANT_OPEN_XOR_DELEGATION (RFC 9754, "OPEN Grants Only One of Open or
 * Delegation Stateid"; NFSv4.2 only): when OPEN grants a READ or WRITE delegation, the reply
 * carries the delegation and no open stateid, so the client has no CLOSE to send; it gives the
 * delegation back with DELEGRETURN alone. The decisions are knfsd's (nfsd4_process_open2, 6.13+):
 * <ul>
 *   <li>Only an open this OPEN created is replaced: when the open owner already has the file open,
 *       that open is upgraded and returned as without the flag (the client holds that stateid
 *       already and must CLOSE it anyway), with the delegation beside it.
 *   <li>The replaced open is dropped before the reply, so the only state left is the delegation:
 *       its recall on another client's conflicting OPEN is what guards the holder's access from
 *       then on, as for any delegation. An OPEN with a deny mode gets no delegation here
 *       ({@code Open.grantOrWhyNot}), so it is always a normal open: a share reservation with
 *       deny is never silently dropped.
 *   <li>The stateid in the reply, and the current stateid, are the anonymous stateid (all zeros),
 *       with OPEN4_RESULT_NO_OPEN_STATEID in rflags. A CLOSE with it is NFS4ERR_BAD_STATEID (a
 *       special stateid is no open stateid).
 *   <li>No delegation granted (NONE or NONE_EXT): a normal open, no flag.
 * </ul>
 */
final class OpenXorDelegation {
    private static final Logger log = LoggerFactory.getLogger(OpenXorDelegation.class);

    private OpenXorDelegation() {}

    /** Whether {@code shareAccess} asks for it (the bit is refused before 4.2 by OPEN's check). */
    static boolean wanted(int shareAccess) {
        return (shareAccess & ShareAccess.WANT_OPEN_XOR_DELEGATION) != 0;
    }

    /**
     * The OPEN reply: the delegation alone when it was wanted, a READ or WRITE delegation was
     * granted and {@code open} is new (seqid 1, as {@code OpenStates.open} numbers a new open);
     * otherwise the open stateid and the delegation as usual.
     */
    static OpenResult reply(CompoundContext ctx, int shareAccess, OpenShare open, FileHandle fh, ChangeInfo cinfo,
            int rflags, int[] attrset, OpenDelegation delegation) throws NfsException {
        boolean granted = delegation instanceof OpenDelegation.Read || delegation instanceof OpenDelegation.Write;
        if (!wanted(shareAccess) || !granted || open.stateId().seqid() != 1) {
            ctx.setCurrentStateId(open.stateId());
            return new OpenResult(open.stateId(), cinfo, rflags, attrset, delegation);
        }
        try {
            // as CLOSE does: the lock table's client lock, then the open's (one lock order)
            ctx.server().state().close(ctx.clientId(), open.stateId(), fh);
        } catch (NfsException e) {
            if (e.status() != NfsStatus.NFS4ERR_OLD_STATEID) {
                throw e;
            }
            // a concurrent OPEN of the same owner upgraded it meanwhile and returned it: the open
            // is that OPEN's now, so this reply names it too, as without the flag
            log.debug("OPEN_XOR_DELEGATION: {} upgraded by a concurrent OPEN, kept", open.stateId());
            ctx.setCurrentStateId(open.stateId());
            return new OpenResult(open.stateId(), cinfo, rflags, attrset, delegation);
        }
        ctx.setCurrentStateId(StateId.ANONYMOUS);
        return new OpenResult(StateId.ANONYMOUS, cinfo, rflags | OpenResult.RESULT_NO_OPEN_STATEID, attrset,
                delegation);
    }
}

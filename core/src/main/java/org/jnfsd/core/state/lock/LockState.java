package org.jnfsd.core.state.lock;

import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;

/**
 * One lock stateid: the state of one lock owner on one file (RFC 8881 §9.4), opened through one
 * open stateid. Small on purpose, so it can move into the client's stateid table later.
 *
 * <p>Lifecycle: LIVE → FREED, by FREE_STATEID, by the CLOSE of its open, or by releasing the
 * client ({@link LockManager}). Mutable fields are guarded by the owning client table's lock
 * ({@code LockManager.ClientLocks.lock}); {@code holding} is recomputed under that lock, which is
 * taken inside the file's lock, after every change of the file's locks.
 */
final class LockState {
    enum Phase { LIVE, FREED }

    final byte[] other;
    final StateId.Key key;
    final OpenOwner owner;
    final FileHandle file;
    final StateId openStateId; // seqid 0: "the current one"
    int seqid = 1;
    boolean holding;
    Phase phase = Phase.LIVE;

    LockState(byte[] other, OpenOwner owner, FileHandle file, StateId openStateId) {
        this.other = other;
        this.key = new StateId(0, other).key();
        this.owner = owner;
        this.file = file;
        this.openStateId = openStateId.withSeqid(0);
    }

    /** seqid + 1, skipping 0 (which means "current" in 4.1) on wrap. */
    void bumpSeqid() {
        seqid = seqid == -1 ? 1 : seqid + 1;
    }

    StateId stateId() {
        return new StateId(seqid, other);
    }

    @Override
    public String toString() {
        return "LockState[" + stateId() + " " + owner + " " + file + " " + phase + "]";
    }
}

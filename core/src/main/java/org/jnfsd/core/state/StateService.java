package org.jnfsd.core.state;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.lock.LockManager;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;

/**
 * The one entry through which operations resolve a client's stateid: the kind tag written in the
 * stateid ({@link StateIdAllocator#kindOf}) is read once and only that kind's table is asked. READ,
 * WRITE, SETATTR of the size, COPY, SEEK, READ_PLUS, ALLOCATE and DEALLOCATE go through {@link
 * #resolveIo}; CLOSE, and OPEN undoing an open whose truncation failed, through {@link #close};
 * TEST_STATEID and FREE_STATEID through {@link #test} and {@link #free} ({@link StateIdRegistry}).
 * No server-wide lock and no string key is on the I/O path: a delegation stateid is one lookup in
 * the delegation table's concurrent map ({@link DelegationTable#forIo}), an open or lock stateid
 * the per-file and per-client locks of the open and lock tables.
 *
 * <p>Lock order ({@link OrderedLock.Rank}): nothing here holds a lock; the tables take theirs in
 * the one order (the lock table's file, then its client, then the open table's file, then its
 * client), the delegation table's lock is never held with another. Stateless and thread-safe.
 */
public final class StateService {
    /**
     * A client stateid resolved for I/O: exactly one of {@code open} (an open stateid, or the open
     * a lock stateid was made through) and {@code delegation} (the client's live delegation).
     */
    public record IoState(OpenShare open, Delegation delegation) {}

    private final StateIdAllocator ids;
    private final OpenStates opens;
    private final LockManager locks;
    private final DelegationTable delegations;
    private final StateIdRegistry registry;

    public StateService(StateIdAllocator ids, OpenStates opens, LockManager locks, DelegationTable delegations,
            StateIdRegistry registry) {
        this.ids = ids;
        this.opens = opens;
        this.locks = locks;
        this.delegations = delegations;
        this.registry = registry;
    }

    /**
     * The open or delegation a non-special I/O stateid of {@code clientId} stands for on {@code
     * file}: by its kind, an open stateid is validated against the open table, a lock stateid
     * against the lock table and then its open, a delegation stateid against the delegation table
     * (the caller checks its file and type). Another server instance's stateid is
     * NFS4ERR_STALE_STATEID; any other kind, or an unknown tag, NFS4ERR_BAD_STATEID.
     */
    public IoState resolveIo(long clientId, StateId stateId, FileHandle file) throws NfsException {
        if (!ids.issuedHere(stateId)) {
            throw new NfsException(stateId.isSpecial() ? NfsStatus.NFS4ERR_BAD_STATEID : NfsStatus.NFS4ERR_STALE_STATEID,
                    stateId + " was not issued by this server instance");
        }
        StateKind kind = ids.kindOf(stateId);
        if (kind == null) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, stateId + " has no known kind");
        }
        return switch (kind) {
            case OPEN -> new IoState(opens.validate(clientId, stateId, file), null);
            case LOCK -> new IoState(opens.validate(clientId, locks.openStateIdOf(clientId, stateId, file), file), null);
            case DELEGATION -> new IoState(null, delegations.forIo(clientId, stateId));
            case COPY -> throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "I/O through copy stateid " + stateId);
        };
    }

    /**
     * CLOSE of an open stateid on {@code file}, in one pass through the lock table's client lock
     * and then the open table ({@link LockManager#closeOpen}): NFS4ERR_LOCKS_HELD while a lock
     * stateid of the open holds locks, otherwise the open and its lock stateids go.
     */
    public void close(long clientId, StateId openStateId, FileHandle file) throws NfsException {
        locks.closeOpen(clientId, openStateId, file);
    }

    /** TEST_STATEID, routed by kind. */
    public NfsStatus test(long clientId, StateId stateId) {
        return registry.test(clientId, stateId);
    }

    /** FREE_STATEID, routed by kind. */
    public NfsStatus free(long clientId, StateId stateId) {
        return registry.free(clientId, stateId);
    }
}

package org.jnfsd.core.state;

import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;

/**
 * A snapshot of one open: its current stateid (with the current seqid), owner, file, and the share
 * access and deny bits ({@code ShareAccess} ACCESS_* / DENY_*).
 */
public record OpenShare(StateId stateId, OpenOwner owner, FileHandle file, int access, int deny) {
    /** Whether this open may be used to read: READ or WRITE access (a write-only open may read). */
    public boolean mayRead() {
        return access != 0;
    }

    public boolean mayWrite() {
        return (access & org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_WRITE) != 0;
    }
}

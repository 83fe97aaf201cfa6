package org.jnfsd.core.ops.io;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.Access;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.StateService;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * Checks shared by this area's operations: file types, permissions, I/O stateids. Public for
 * the NFSv4.2 data operations ({@code ops.v42}), which check stateids and file types as READ and
 * WRITE do.
 */
public final class IoChecks {
    private IoChecks() {}

    static Stat getattr(VirtualFileSystem fs, Inode inode) throws NfsException {
        try {
            return fs.getattr(inode);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /** READ, WRITE, COMMIT: a directory is NFS4ERR_ISDIR, any other non-regular file NFS4ERR_INVAL. */
    public static Stat regularForIo(VirtualFileSystem fs, Inode inode) throws NfsException {
        Stat st = getattr(fs, inode);
        if (st.type() == FileType.DIRECTORY) {
            throw new NfsException(NfsStatus.NFS4ERR_ISDIR, "I/O on a directory");
        }
        if (st.type() != FileType.REGULAR) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL, "I/O on a " + st.type());
        }
        return st;
    }

    /** OPEN of an existing object: ISDIR, SYMLINK, or (4.1) WRONG_TYPE unless it is a regular file. */
    static void regularForOpen(Stat st) throws NfsException {
        switch (st.type()) {
            case REGULAR -> { }
            case DIRECTORY -> throw new NfsException(NfsStatus.NFS4ERR_ISDIR, "OPEN of a directory");
            case SYMLINK -> throw new NfsException(NfsStatus.NFS4ERR_SYMLINK, "OPEN of a symbolic link");
            default -> throw new NfsException(NfsStatus.NFS4ERR_WRONG_TYPE, "OPEN of a " + st.type());
        }
    }

    /**
     * knfsd's NFSD_MAY_OWNER_OVERRIDE for I/O on a file (as on a file already open): the owner may
     * read and write its own file whatever the mode; and its read-if-executable rule: a regular
     * file one may execute may be read (a client must read a binary to run it).
     */
    static boolean mayReadOrOwner(Stat st, Identity who) {
        return who.uid() == st.uid() || mayReadOrExecute(st, who);
    }

    /** knfsd's NFSD_MAY_READ_IF_EXEC: read permission, or execute permission on a regular file. */
    static boolean mayReadOrExecute(Stat st, Identity who) {
        return Access.mayRead(st, who) || (st.type() == FileType.REGULAR && Access.mayExecute(st, who));
    }

    static boolean mayWriteOrOwner(Stat st, Identity who) {
        return who.uid() == st.uid() || Access.mayWrite(st, who);
    }

    /**
     * After a change of a regular file's data (WRITE, ALLOCATE, DEALLOCATE, and the destination of
     * COPY and CLONE) by anyone but root:
     * set-user-id goes, and set-group-id with group-execute, as Linux's file_remove_privs does for
     * a local write (the backend writes as the server, often root, so it would not). {@code st}
     * is the file's attributes from before the change.
     */
    public static void clearSetIdsAfterWrite(VirtualFileSystem fs, FileHandle fh, Stat st, CompoundContext ctx)
            throws NfsException {
        Integer mode = org.jnfsd.core.fs.SetIdRules.modeAfterWrite(st, ctx.identity());
        if (mode != null) {
            try {
                fs.setattr(fh.inode(), new org.jnfsd.vfs.SetAttributes(mode, null, null, null, null, null));
            } catch (VfsException e) {
                throw NfsException.of(e);
            }
        }
    }

    /** Whether {@code s} is the anonymous stateid (all zeros). */
    static boolean isAnonymous(StateId s) {
        return s.equals(StateId.ANONYMOUS);
    }

    static boolean isReadBypass(StateId s) {
        return s.equals(StateId.READ_BYPASS);
    }

    /**
     * The stateid of a READ or WRITE: an open of this client on this file, or a lock stateid
     * standing for the open it was made through (a READ goes through any
     * open, a WRITE needs WRITE access: NFS4ERR_OPENMODE), or a special stateid with a permission
     * check against the file's mode and no share deny in the way (NFS4ERR_LOCKED). The READ bypass
     * stateid skips the deny check and is not allowed for WRITE. A READ may also go through the
     * client's live delegation on the file, a WRITE through its live write delegation (returns
     * null as for a special stateid); a delegation of the client's that was revoked and not yet
     * freed is NFS4ERR_DELEG_REVOKED.
     *
     * <p>I/O with a special stateid has no open behind it, so it conflicts with other clients'
     * delegations as an OPEN would (RFC 8881 §10.4.4, knfsd's break_lease on open): a READ with
     * their write delegations, a WRITE (or a SETATTR of the size) with every delegation. Those are
     * recalled and the request answered NFS4ERR_DELAY.
     *
     * @param stateId already resolved (not the "current" stateid)
     * @return the open used, or null for a special stateid
     */
    public static OpenShare checkIo(CompoundContext ctx, StateId stateId, FileHandle fh, Stat st, boolean write)
            throws NfsException {
        if (isReadBypass(stateId) && write) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "READ bypass stateid used for WRITE");
        }
        return checkIoOrSpace(ctx, stateId, fh, st, write);
    }

    /**
     * ALLOCATE and DEALLOCATE (RFC 7862 §15.1, §15.4): as {@link #checkIo} for a write, except
     * that the all-ones bypass stateid is accepted (as knfsd does): a permission check against
     * the mode, no share-deny check, other clients' delegations recalled as for the anonymous
     * stateid.
     */
    public static OpenShare checkSpaceIo(CompoundContext ctx, StateId stateId, FileHandle fh, Stat st)
            throws NfsException {
        return checkIoOrSpace(ctx, stateId, fh, st, true);
    }

    private static OpenShare checkIoOrSpace(CompoundContext ctx, StateId stateId, FileHandle fh, Stat st,
            boolean write) throws NfsException {
        boolean anonymous = isAnonymous(stateId);
        if (anonymous || isReadBypass(stateId)) {
            Identity who = ctx.identity();
            if (write ? !mayWriteOrOwner(st, who) : !mayReadOrOwner(st, who)) {
                throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "special stateid I/O without permission");
            }
            if (anonymous) {
                ctx.server().opens().checkNoDeny(fh, write ? ShareAccess.ACCESS_WRITE : ShareAccess.ACCESS_READ);
            }
            if (ctx.server().delegations().recallFor(ctx.requesterId(), fh, !write, ctx.server().callbacks())) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY,
                        (write ? "WRITE" : "READ") + " with a special stateid: another client's delegation being recalled");
            }
            return null;
        }
        // one resolution by the stateid's kind tag: its own table only
        StateService.IoState io = ctx.server().state().resolveIo(ctx.clientId(), stateId, fh);
        Delegation d = io.delegation();
        if (d != null) {
            // I/O through the client's own delegation: the client checked access on its open
            if (!d.file().equals(fh)) {
                throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "delegation " + stateId + " of another file");
            }
            if (write && d.type() != Delegation.Type.WRITE) {
                throw new NfsException(NfsStatus.NFS4ERR_OPENMODE, "WRITE through a read delegation");
            }
            if (write ? !mayWriteOrOwner(st, ctx.identity()) : !mayReadOrOwner(st, ctx.identity())) {
                throw new NfsException(NfsStatus.NFS4ERR_ACCESS,
                        (write ? "WRITE" : "READ") + " through a delegation without permission");
            }
            return null;
        }
        OpenShare open = io.open();
        if (write ? !open.mayWrite() : !open.mayRead()) {
            throw new NfsException(NfsStatus.NFS4ERR_OPENMODE, (write ? "WRITE" : "READ") + " through " + open);
        }
        return open;
    }
}

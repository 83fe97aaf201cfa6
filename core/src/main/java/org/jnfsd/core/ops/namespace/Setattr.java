package org.jnfsd.core.ops.namespace;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.Attributes;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.fs.Access;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.core.fs.SetIdRules;
import org.jnfsd.core.ops.io.IoChecks;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.SetAttributes.TimeValue;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * SETATTR (RFC 8881 §18.30). A size change checks the stateid as WRITE does ({@link
 * IoChecks#checkIo}) and recalls other clients' delegations on the file (NFS4ERR_DELAY); other
 * changes ignore the stateid, as knfsd does, and recall only other clients' write delegations. The reply always carries attrsset: the attributes set on success,
 * empty on failure (nothing is set unless everything is). Permission rules, as POSIX:
 * <ul>
 *   <li>size: write permission; a directory is NFS4ERR_ISDIR, other non-regular files INVAL;
 *   <li>mode: the owner or root, else NFS4ERR_PERM;
 *   <li>owner: root only (or the owner "changing" it to itself), else PERM;
 *   <li>owner_group: root, or the owner to a group it belongs to, else PERM;
 *   <li>times set to the server's time: the owner, root or anyone with write permission (else
 *       NFS4ERR_ACCESS); set to a given time: the owner or root (else PERM).
 * </ul>
 * time_deleg_access / time_deleg_modify (RFC 9754): {@link SetattrDelegatedTimes}.
 * Set-id bits as a local Linux file system ({@link SetIdRules#forSetattr}): a chown/chgrp of a
 * non-directory clears set-user-id and set-group-id (with group-execute); a chmod by someone
 * outside the file's group (not root) drops set-group-id; a size change by anyone but root
 * clears them as a WRITE does.
 */
final class Setattr implements Operation<SetattrArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.SETATTR;
    }

    @Override
    public SetattrArgs decode(XdrDecoder in) {
        return SetattrArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, SetattrArgs args) throws NfsException {
        FileHandle fh = ctx.currentFh();
        SetAttributes attrs = Attributes.decodeSettable(args.attrs());
        Checks.writable(ctx, ctx.currentExport());
        VirtualFileSystem fs = ctx.currentFs();
        Stat st = Checks.stat(fs, fh.inode());
        int[] mask = args.attrs().mask();
        boolean delegatedTimes = SetattrDelegatedTimes.asked(mask);
        if (delegatedTimes) {
            SetattrDelegatedTimes.checkHolder(ctx, ctx.resolveStateId(args.stateId()), fh);
        }
        check(st, delegatedTimes ? SetattrDelegatedTimes.withoutDelegated(attrs, mask) : attrs, ctx.identity(), fs);
        attrs = SetIdRules.forSetattr(st, attrs, ctx.identity());
        if (delegatedTimes) {
            attrs = SetattrDelegatedTimes.vetted(attrs, mask, st);
        }
        if (attrs.size() != null && attrs.mode() == null) {
            // a size change by anyone but root clears set-user-id (and set-group-id with g+x), as truncate(2)
            Integer killed = SetIdRules.modeAfterWrite(st, ctx.identity());
            if (killed != null) {
                attrs = attrs.withMode(killed);
            }
        }
        if (attrs.size() != null) {
            // As knfsd's nfsd4_setattr: the stateid is checked only for a size change, and then as
            // WRITE's (an open with WRITE access, or the anonymous stateid with no deny in the way).
            IoChecks.checkIo(ctx, ctx.resolveStateId(args.stateId()), fh, st, true);
            // a size change conflicts with other clients' delegations of every kind
            Checks.recallDelegations(ctx, fh, "SETATTR of the size");
        } else if (!attrs.isEmpty()
                && ctx.server().delegations().recallFor(ctx.requesterId(), fh, true, ctx.server().callbacks())) {
            // any other change conflicts with another client's write delegation (its holder caches
            // the attributes and may change times itself), not with read delegations
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, "SETATTR of " + fh + ": another client's write delegation being recalled");
        }
        if (!attrs.isEmpty()) {
            try {
                fs.setattr(fh.inode(), attrs);
            } catch (VfsException e) {
                throw NfsException.of(e);
            }
        }
        return new SetattrResult(NfsStatus.NFS4_OK, Attributes.settableMask(args.attrs()));
    }

    @Override
    public OpResult failure(NfsStatus status, SetattrArgs args) {
        return SetattrResult.failed(status);
    }

    /** The POSIX permission rules above; also used by CREATE for its create attributes. */
    static void check(Stat st, SetAttributes a, Identity who, VirtualFileSystem fs) throws NfsException {
        boolean owner = who.uid() == st.uid();
        boolean root = who.isRoot();
        if (a.size() != null) {
            if (st.type() == FileType.DIRECTORY) {
                throw new NfsException(NfsStatus.NFS4ERR_ISDIR, "size of a directory");
            }
            if (st.type() != FileType.REGULAR) {
                throw new NfsException(NfsStatus.NFS4ERR_INVAL, "size of a " + st.type());
            }
            if (!Access.mayWrite(st, who)) {
                throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "size change without write permission");
            }
            if (a.size() < 0 || a.size() > fs.maxFileSize()) {
                throw new NfsException(NfsStatus.NFS4ERR_FBIG, "size " + Long.toUnsignedString(a.size()));
            }
        }
        if (a.mode() != null && !owner && !root) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, "mode change by uid " + who.uid());
        }
        if (a.uid() != null && !root && !(owner && a.uid() == st.uid())) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, "owner change by uid " + who.uid());
        }
        if (a.gid() != null && !root && !(owner && (a.gid() == st.gid() || who.inGroup(a.gid())))) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, "group change to " + a.gid() + " by uid " + who.uid());
        }
        checkTime(a.atime(), st, who, owner || root);
        checkTime(a.mtime(), st, who, owner || root);
    }

    private static void checkTime(TimeValue t, Stat st, Identity who, boolean ownerOrRoot) throws NfsException {
        if (t == null || ownerOrRoot) {
            return;
        }
        if (!t.isServerNow()) {
            throw new NfsException(NfsStatus.NFS4ERR_PERM, "setting a given time needs ownership");
        }
        if (!Access.mayWrite(st, who)) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "setting the time to now needs write permission");
        }
    }
}

package org.jnfsd.core.ops.io;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.attr.Attributes;
import org.jnfsd.core.callback.CallbackChannel;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.delegation.DelegationTable;
import org.jnfsd.core.fs.Access;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.core.fs.SetIdRules;
import org.jnfsd.core.fs.Names;
import org.jnfsd.core.metrics.ServerEvent;
import org.jnfsd.core.recovery.GracePeriod;
import org.jnfsd.core.recovery.RecoveryStoreException;
import org.jnfsd.core.session.ClientId;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.core.state.OpenShare;
import org.jnfsd.core.state.OpenStates;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.Ace;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.SpaceLimit;
import org.jnfsd.protocol.nfs4.io.Verifier;
import org.jnfsd.protocol.nfs4.namespace.ChangeInfo;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes.TimeValue;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * OPEN (RFC 8881 §18.16). CLAIM_NULL looks up (and, with OPEN4_CREATE, creates) a name in the
 * current directory; CLAIM_FH opens the current filehandle; CLAIM_PREVIOUS reclaims, during the
 * grace period after a restart, an open of the current filehandle with the share access and deny
 * the client had (the rules are {@link org.jnfsd.core.recovery.GracePeriod}'s: CLAIM_NULL and
 * CLAIM_FH get NFS4ERR_GRACE during grace, CLAIM_PREVIOUS NFS4ERR_NO_GRACE outside it). A reclaim
 * that says the client held a READ or WRITE delegation (delegate_type) gets it back when its callback
 * channel is UP and the table agrees, or no delegation (the client then drops its own); any other
 * delegate_type is NFS4ERR_INVAL.
 * CLAIM_DELEGATE_CUR / CLAIM_DELEG_CUR_FH need the client's live delegation; the _PREV claims are
 * NOTSUPP.
 *
 * <p>With OPEN4_SHARE_ACCESS_WANT_OPEN_XOR_DELEGATION (4.2) a granted delegation replaces a new
 * open stateid: {@link OpenXorDelegation}. With OPEN4_SHARE_ACCESS_WANT_DELEG_TIMESTAMPS (4.2) a
 * granted delegation delegates the times too: {@link OpenDelegTimestamps}.
 *
 * <p>The first OPEN of a client records it in the recovery store, so it may reclaim after a
 * restart.
 *
 * <p>Permissions, as knfsd: a file this OPEN created is not checked (so open(O_CREAT|O_WRONLY,
 * 0444) works); an existing file needs read permission for READ access and write permission for
 * WRITE access, and its owner may always open it. Creating needs write and execute permission on
 * the directory, looking up execute.
 *
 * <p>Exclusive creation stores the 8-byte verifier as the new file's atime seconds (first 4 bytes)
 * and mtime seconds (last 4), as knfsd does; a retry finding those times returns the same file.
 *
 * <p>The client's open owner is taken with the client id of the session (the clientid in
 * open_owner4 is not trusted in 4.1, as knfsd does).
 */
final class Open implements Operation<OpenArgs> {
    static final int FATTR4_SIZE = 4;
    static final int FATTR4_TIME_ACCESS_SET = 48;
    static final int FATTR4_TIME_MODIFY_SET = 54;
    private static final int KNOWN_ACCESS_BITS = ShareAccess.MODE_MASK | ShareAccess.WANT_DELEG_MASK
            | ShareAccess.WANT_SIGNAL_DELEG_WHEN_RESRC_AVAIL | ShareAccess.WANT_PUSH_DELEG_WHEN_UNCONTENDED;

    @Override
    public Opcode opcode() {
        return Opcode.OPEN;
    }

    @Override
    public OpenArgs decode(XdrDecoder in) {
        return OpenArgs.decode(in);
    }

    /** What resolving the claim produced: the file, whether this OPEN created it, attrset, cinfo. */
    /** A delegation's ACE: allows nothing by itself, so the client checks access with ACCESS (knfsd). */
    private static final Ace EVERYONE_CHECKS_ACCESS = new Ace(0, 0, 0, "EVERYONE@");
    /** A write delegation's space limit: the largest unsigned file size (knfsd's ~0). */
    private static final SpaceLimit NO_SPACE_LIMIT = new SpaceLimit.Size(-1L);

    private record Target(FileHandle fh, Stat stat, boolean created, long truncateTo, int[] attrset, ChangeInfo cinfo) {}

    /**
     * RFC 8881 §18.51.3: a client with a session sends RECLAIM_COMPLETE before its first
     * non-reclaim OPEN, "even if there are no locks to reclaim"; one that has not yet gets
     * NFS4ERR_GRACE, as knfsd (nfsd4_open) answers, so it cannot mix new opens with reclaims.
     */
    private static void requireReclaimComplete(CompoundContext ctx, ClientRecord client) throws NfsException {
        if (ctx.session() instanceof Session && client != null && !ctx.server().sessions().reclaimCompleted(client)) {
            throw new NfsException(NfsStatus.NFS4ERR_GRACE, "non-reclaim OPEN before RECLAIM_COMPLETE from " + client);
        }
    }

    @Override
    public OpResult execute(CompoundContext ctx, OpenArgs args) throws NfsException {
        int access = ShareAccess.mode(args.shareAccess());
        int want = ShareAccess.want(args.shareAccess());
        // RFC 9754's OPEN_XOR_DELEGATION and DELEG_TIMESTAMPS extend NFSv4.2 only
        int known = KNOWN_ACCESS_BITS | (ctx.minorVersion() >= 2
                ? ShareAccess.WANT_OPEN_XOR_DELEGATION | ShareAccess.WANT_DELEG_TIMESTAMPS : 0);
        if (access == 0 || (args.shareAccess() & ~known) != 0 || want > ShareAccess.WANT_CANCEL
                || (args.shareDeny() & ~ShareAccess.MODE_MASK) != 0) {
            throw new NfsException(NfsStatus.NFS4ERR_INVAL,
                    "share_access " + Integer.toHexString(args.shareAccess()) + " share_deny " + args.shareDeny());
        }
        GracePeriod grace = ctx.server().grace();
        // the engine runs OPEN only after SEQUENCE, so there is a session; hand-built contexts of
        // unit tests have none and then neither reclaim nor get recorded
        ClientRecord client = ctx.session() instanceof Session s ? s.client()
                : ctx.boundClient() instanceof ClientRecord r ? r : null; // 4.0: bound by the owner's clientid
        Target t = switch (args.claim()) {
            case OpenClaim.Null n -> {
                requireReclaimComplete(ctx, client);
                grace.checkNotInGrace("OPEN CLAIM_NULL");
                yield byName(ctx, n.file(), args.how(), access, false);
            }
            case OpenClaim.Fh f -> {
                requireReclaimComplete(ctx, client);
                grace.checkNotInGrace("OPEN CLAIM_FH");
                yield byHandle(ctx, access, false);
            }
            case OpenClaim.Previous p -> {
                if (client == null) {
                    throw new NfsException(NfsStatus.NFS4ERR_NO_GRACE, "reclaim without a session");
                }
                grace.checkReclaim(client.id().value(), client.ownerId());
                if (p.delegateType() != OpenDelegation.OPEN_DELEGATE_NONE
                        && p.delegateType() != OpenDelegation.OPEN_DELEGATE_READ
                        && p.delegateType() != OpenDelegation.OPEN_DELEGATE_WRITE) {
                    throw new NfsException(NfsStatus.NFS4ERR_INVAL, "CLAIM_PREVIOUS of delegate_type " + p.delegateType());
                }
                yield byHandle(ctx, access, false);
            }
            case OpenClaim.DelegateCur d -> {
                checkDelegation(ctx, d.delegateStateId(), null);
                Target dt = byName(ctx, d.file(), new OpenHow.NoCreate(), access, true);
                checkDelegation(ctx, d.delegateStateId(), dt.fh());
                yield dt;
            }
            case OpenClaim.DelegCurFh d -> {
                checkDelegation(ctx, d.delegateStateId(), ctx.currentFh());
                yield byHandle(ctx, access, true);
            }
            case OpenClaim.DelegatePrev d -> throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP, "CLAIM_DELEGATE_PREV");
            case OpenClaim.DelegPrevFh d -> throw new NfsException(NfsStatus.NFS4ERR_NOTSUPP, "CLAIM_DELEG_PREV_FH");
        };
        // another client's delegation in the way is recalled (CB_RECALL queued, not awaited): retry
        // later. An OPEN for write conflicts with every delegation, one for read with write ones.
        if (ctx.server().delegations().recallFor(ctx.clientId(), t.fh(), (access & ShareAccess.ACCESS_WRITE) == 0,
                ctx.server().callbacks())) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, "delegation of another client being recalled");
        }
        // recorded before it is granted: a client whose record the store cannot write gets
        // NFS4ERR_DELAY and no state, so that every open a restart could lose can be reclaimed
        if (client != null) {
            try {
                grace.stateGranted(client.id().value(), client.ownerId(), client.principal().name(),
                        args.claim() instanceof OpenClaim.Previous);
            } catch (RecoveryStoreException e) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY, "the recovery store cannot record the client", e);
            }
        }
        OpenStates opens = ctx.server().opens();
        OpenOwner owner = new OpenOwner(ctx.clientId(), args.owner().owner());
        OpenShare open = opens.open(ctx.clientId(), owner, t.fh(), access, args.shareDeny());
        if (t.truncateTo() >= 0) {
            try {
                ctx.currentFs().setattr(t.fh().inode(), new SetAttributes(null, null, null, t.truncateTo(), null, null));
            } catch (VfsException e) {
                if (open.stateId().seqid() == 1) {
                    // as CLOSE does: the lock table's client lock, then the open's (one lock order)
                    ctx.server().state().close(ctx.clientId(), open.stateId(), t.fh());
                }
                throw NfsException.of(e);
            }
        }
        ctx.setCurrentFh(t.fh());
        return OpenXorDelegation.reply(ctx, args.shareAccess(), open, t.fh(), t.cinfo(), rflags(ctx), t.attrset(),
                OpenDelegTimestamps.apply(ctx, args.shareAccess(), grantOrWhyNot(ctx, args, access, t)));
    }

    /**
     * POSIX locks always; OPEN4_RESULT_MAY_NOTIFY_LOCK only when the client's callback channel is UP,
     * since a waiter is sent CB_NOTIFY_LOCK only over it: a client told it may be notified polls
     * less often (the Linux client waits up to 30 s), so promising it without a channel would slow
     * its blocking locks down (RFC 8881 §18.16.4, §9.6).
     */
    private static int rflags(CompoundContext ctx) {
        CallbackChannel ch = ctx.server().callbacks().channel(new ClientId(ctx.clientId()));
        boolean mayNotify = ch != null && ch.state() == CallbackChannel.State.UP;
        return OpenResult.RESULT_LOCKTYPE_POSIX | (mayNotify ? OpenResult.RESULT_MAY_NOTIFY_LOCK : 0);
    }

    /** CLAIM_DELEGATE_CUR / CLAIM_DELEG_CUR_FH: the client's live delegation (on {@code fh} unless null). */
    private static void checkDelegation(CompoundContext ctx, StateId stateId, FileHandle fh) throws NfsException {
        Delegation d = ctx.server().delegations().find(ctx.clientId(), stateId);
        if (d == null || (fh != null && !d.file().equals(fh))) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "no delegation " + stateId + " on " + fh);
        }
    }

    /**
     * A delegation when the client may have one: delegations on for the export, callback channel
     * UP, an open without deny of a
     * regular file, and the table agrees. An open for read may get a read delegation (no other
     * client has the file open for write); an open for write a write delegation (write delegations
     * on, no other client has the file open at all; RFC 8881 §10.4). The want must allow the type
     * (NO_PREFERENCE and ANY both; READ_DELEG / WRITE_DELEG only theirs). Otherwise NONE, or
     * NONE_EXT with the reason when one was wanted (RFC 8881 §18.16.3; knfsd's catch-all reason is
     * CONTENTION too).
     */
    private static OpenDelegation grantOrWhyNot(CompoundContext ctx, OpenArgs args, int access, Target t)
            throws NfsException {
        int want = ShareAccess.want(args.shareAccess());
        boolean writeDelegations = ctx.server().config().writeDelegations();
        if (args.claim() instanceof OpenClaim.Previous p && p.delegateType() != OpenDelegation.OPEN_DELEGATE_NONE) {
            return reclaimDelegation(ctx, p.delegateType(), t, writeDelegations);
        }
        if (want == ShareAccess.WANT_NO_DELEG || want == ShareAccess.WANT_CANCEL
                || (want == ShareAccess.WANT_WRITE_DELEG && !writeDelegations)
                || args.claim() instanceof OpenClaim.Previous
                || args.claim() instanceof OpenClaim.DelegateCur || args.claim() instanceof OpenClaim.DelegCurFh) {
            return delegation(args.shareAccess());
        }
        DelegationTable table = ctx.server().delegations();
        CallbackChannel ch = ctx.server().callbacks().channel(new ClientId(ctx.clientId()));
        boolean forWrite = (access & ShareAccess.ACCESS_WRITE) != 0;
        int why;
        if (t.stat().type() != FileType.REGULAR) {
            why = t.stat().type() == FileType.DIRECTORY ? OpenDelegation.WND4_IS_DIR : OpenDelegation.WND4_NOT_SUPP_FTYPE;
        } else if (!ctx.currentExport().delegations()) {
            // switched off on this export: a server policy, not the file's type (knfsd answers
            // WND4_RESOURCE when it cannot take a lease, e.g. with leases disabled)
            why = OpenDelegation.WND4_RESOURCE;
        } else if (ch == null || ch.state() != CallbackChannel.State.UP || args.shareDeny() != ShareAccess.DENY_NONE
                || (forWrite ? !writeDelegations || want == ShareAccess.WANT_READ_DELEG
                        : want == ShareAccess.WANT_WRITE_DELEG)
                || ctx.server().opens().openByOther(ctx.clientId(), t.fh(),
                        forWrite ? ShareAccess.ACCESS_BOTH : ShareAccess.ACCESS_WRITE)) {
            why = OpenDelegation.WND4_CONTENTION;
        } else {
            DelegationTable.Grant g;
            if (forWrite) {
                // the attributes after this OPEN (a truncation included): what CB_GETATTR compares with
                Stat now = IoChecks.getattr(ctx.currentFs(), t.fh().inode());
                g = table.grantWrite(ctx.clientId(), t.fh(), now.change(), now.size());
                if (g.created() && ctx.server().opens().openByOther(ctx.clientId(), t.fh(), ShareAccess.ACCESS_BOTH)) {
                    // another client's OPEN slipped in between the check above and the grant
                    table.withdraw(g.delegation());
                    g = new DelegationTable.Grant(null, DelegationTable.Refusal.CONTENTION);
                }
            } else {
                g = table.grantRead(ctx.clientId(), t.fh());
                if (g.created() && ctx.server().opens().openByOther(ctx.clientId(), t.fh(), ShareAccess.ACCESS_WRITE)) {
                    // another client's write OPEN registered between the check above and the grant (row 05)
                    table.withdraw(g.delegation());
                    g = new DelegationTable.Grant(null, DelegationTable.Refusal.CONTENTION);
                }
            }
            if (g.delegation() != null) {
                ctx.server().counters().increment(ServerEvent.DELEGATION_GRANTED);
                return offer(g.delegation());
            }
            why = switch (g.refusal()) {
                case RESOURCE -> OpenDelegation.WND4_RESOURCE;
                case NOT_SUPP_UPGRADE -> OpenDelegation.WND4_NOT_SUPP_UPGRADE;
                case NONE, CONTENTION -> OpenDelegation.WND4_CONTENTION;
            };
        }
        return want == ShareAccess.WANT_NO_PREFERENCE ? OpenDelegation.NONE : OpenDelegation.NoneExt.of(why);
    }

    /**
     * CLAIM_PREVIOUS of a client that held a delegation before the restart: the same type again if
     * its callback channel is UP (so it could be recalled) and the table agrees (no other client's
     * delegation or open in the way; write delegations on for WRITE); otherwise none, and the client
     * forgets its own (knfsd answers NONE when it refuses too). A channel still being probed just
     * after CREATE_SESSION counts as not UP: knfsd would grant with the recall flag set, which makes
     * the client return it at once anyway.
     */
    private static OpenDelegation reclaimDelegation(CompoundContext ctx, int type, Target t, boolean writeDelegations)
            throws NfsException {
        DelegationTable table = ctx.server().delegations();
        boolean write = type == OpenDelegation.OPEN_DELEGATE_WRITE;
        CallbackChannel ch = ctx.server().callbacks().channel(new ClientId(ctx.clientId()));
        if (ch == null || ch.state() != CallbackChannel.State.UP || (write && !writeDelegations)
                || ctx.server().opens().openByOther(ctx.clientId(), t.fh(),
                write ? ShareAccess.ACCESS_BOTH : ShareAccess.ACCESS_WRITE)) {
            return OpenDelegation.NONE;
        }
        DelegationTable.Grant g;
        if (write) {
            Stat now = IoChecks.getattr(ctx.currentFs(), t.fh().inode());
            g = table.grantWrite(ctx.clientId(), t.fh(), now.change(), now.size());
        } else {
            g = table.grantRead(ctx.clientId(), t.fh());
        }
        if (g.delegation() == null) {
            return OpenDelegation.NONE;
        }
        ctx.server().counters().increment(ServerEvent.DELEGATION_GRANTED);
        return offer(g.delegation());
    }

    /**
     * open_delegation4 of {@code d}: its type, no recall pending, the ACE that lets the client check
     * access itself; a write delegation with no space limit (NFS_LIMIT_SIZE of all ones, as knfsd).
     */
    private static OpenDelegation offer(Delegation d) {
        return switch (d.type()) {
            case READ -> new OpenDelegation.Read(d.stateId(), false, EVERYONE_CHECKS_ACCESS);
            case WRITE -> new OpenDelegation.Write(d.stateId(), false, NO_SPACE_LIMIT, EVERYONE_CHECKS_ACCESS);
        };
    }

    /** Delegation not considered: NONE, or with 4.1 wants NONE_EXT saying why (RFC 8881 §18.16.3). */
    static OpenDelegation delegation(int shareAccess) {
        return switch (ShareAccess.want(shareAccess)) {
            case ShareAccess.WANT_NO_PREFERENCE -> OpenDelegation.NONE;
            case ShareAccess.WANT_NO_DELEG -> OpenDelegation.NoneExt.of(OpenDelegation.WND4_NOT_WANTED);
            case ShareAccess.WANT_CANCEL -> OpenDelegation.NoneExt.of(OpenDelegation.WND4_CANCELLED);
            // write delegations turned off (ServerConfig.writeDelegations)
            case ShareAccess.WANT_WRITE_DELEG -> OpenDelegation.NoneExt.of(OpenDelegation.WND4_WRITE_DELEG_NOT_SUPP_FTYPE);
            // READ or ANY on a claim that gets none (reclaim, or already under a delegation)
            default -> OpenDelegation.NONE;
        };
    }

    private static Target byHandle(CompoundContext ctx, int access, boolean ownerOverride) throws NfsException {
        FileHandle fh = ctx.currentFh();
        Export export = ctx.currentExport();
        Stat st = IoChecks.getattr(export.fs(), fh.inode());
        IoChecks.regularForOpen(st);
        checkExisting(ctx, export, st, access, ownerOverride);
        return new Target(fh, st, false, -1, new int[0], new ChangeInfo(false, st.change(), st.change()));
    }

    private static Target byName(CompoundContext ctx, String name, OpenHow how, int access,
            boolean ownerOverride) throws NfsException {
        FileHandle dirFh = ctx.currentFh();
        Export export = ctx.currentExport();
        VirtualFileSystem fs = export.fs();
        Identity who = ctx.identity();
        Stat dirSt = IoChecks.getattr(fs, dirFh.inode());
        if (dirSt.type() == FileType.SYMLINK) {
            throw new NfsException(NfsStatus.NFS4ERR_SYMLINK, "OPEN by name in a symbolic link");
        }
        if (dirSt.type() != FileType.DIRECTORY) {
            throw new NfsException(NfsStatus.NFS4ERR_NOTDIR, "OPEN by name in a " + dirSt.type());
        }
        Names.checkComponent(name, fs.maxNameLength());
        if (!Access.mayExecute(dirSt, who)) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no search permission on the directory");
        }
        long before = dirSt.change();
        Inode existing = lookup(fs, dirFh.inode(), name);
        if (how instanceof OpenHow.NoCreate) {
            if (existing == null) {
                throw new NfsException(NfsStatus.NFS4ERR_NOENT, name);
            }
            return existingTarget(ctx, export, dirFh, existing, access, -1, new int[0], before, ownerOverride);
        }
        if (existing != null) {
            switch (how) {
                case OpenHow.Guarded g -> throw new NfsException(NfsStatus.NFS4ERR_EXIST, name);
                case OpenHow.Exclusive e -> {
                    return exclusiveRetry(ctx, export, dirFh, existing, e.verifier(), new int[0], before);
                }
                case OpenHow.Exclusive41 e -> {
                    return exclusiveRetry(ctx, export, dirFh, existing, e.verifier(), settable(e.attrs()).mask, before);
                }
                case OpenHow.Unchecked u -> {
                    Decoded attrs = settable(u.attrs());
                    long size = attrs.attrs.size() != null ? attrs.attrs.size() : -1;
                    if (size >= 0 && (access & ShareAccess.ACCESS_WRITE) == 0) {
                        throw new NfsException(NfsStatus.NFS4ERR_INVAL, "size in UNCHECKED4 OPEN without WRITE access");
                    }
                    int[] attrset = size >= 0 ? Bitmap.of(FATTR4_SIZE) : new int[0];
                    return existingTarget(ctx, export, dirFh, existing, access, size, attrset, before, ownerOverride);
                }
                case OpenHow.NoCreate n -> throw new AssertionError("handled above");
            }
        }
        // create
        if (ctx.accessTo(export).readOnly()) {
            throw new NfsException(NfsStatus.NFS4ERR_ROFS, "create on a read-only export");
        }
        if (!Access.mayWrite(dirSt, who) || !Access.mayExecute(dirSt, who)) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no write permission on the directory");
        }
        Decoded attrs;
        boolean exclusive;
        Verifier verifier = null;
        switch (how) {
            case OpenHow.Unchecked u -> {
                attrs = settable(u.attrs());
                exclusive = false;
            }
            case OpenHow.Guarded g -> {
                attrs = settable(g.attrs());
                exclusive = true;
            }
            case OpenHow.Exclusive e -> {
                attrs = new Decoded(SetAttributes.NONE, new int[0]);
                verifier = e.verifier();
                exclusive = true;
            }
            case OpenHow.Exclusive41 e -> {
                attrs = settable(e.attrs());
                if (attrs.attrs.atime() != null || attrs.attrs.mtime() != null) {
                    throw new NfsException(NfsStatus.NFS4ERR_INVAL, "EXCLUSIVE4_1 with times: they hold the verifier");
                }
                verifier = e.verifier();
                exclusive = true;
            }
            case OpenHow.NoCreate n -> throw new AssertionError("handled above");
        }
        SetAttributes sa = attrs.attrs;
        // a new file in a set-group-id directory takes the directory's group (inode_init_owner)
        int newGid = SetIdRules.newObjectGid(dirSt, who);
        if (sa.uid() == null && sa.gid() == null) {
            sa = sa.withOwner(who.uid(), newGid);
        } else if (sa.uid() == null || sa.gid() == null) {
            sa = sa.withOwner(sa.uid() != null ? sa.uid() : who.uid(), sa.gid() != null ? sa.gid() : newGid);
        }
        if (sa.mode() != null) {
            sa = sa.withMode(SetIdRules.newObjectMode(sa.mode(), FileType.REGULAR, dirSt, sa.gid(), who));
        }
        int[] attrset = attrs.mask;
        if (verifier != null) {
            sa = withVerifier(sa, verifier);
            attrset = Bitmap.set(Bitmap.set(attrset, FATTR4_TIME_ACCESS_SET), FATTR4_TIME_MODIFY_SET);
        }
        Inode created;
        try {
            created = fs.createFile(dirFh.inode(), name, sa, exclusive);
        } catch (VfsException e) {
            if (e.error() == VfsError.EXIST && verifier != null) {
                // a concurrent create of the same name: the same verifier means our own retry
                Inode other = lookup(fs, dirFh.inode(), name);
                if (other != null) {
                    return exclusiveRetry(ctx, export, dirFh, other, verifier, attrset, before);
                }
            }
            throw NfsException.of(e);
        }
        FileHandle fh = new FileHandle(dirFh.exportId(), created);
        Stat st = IoChecks.getattr(fs, created);
        long after = IoChecks.getattr(fs, dirFh.inode()).change();
        return new Target(fh, st, true, -1, Bitmap.trim(attrset), new ChangeInfo(false, before, after));
    }

    private static Target existingTarget(CompoundContext ctx, Export export, FileHandle dirFh, Inode inode,
            int access, long truncateTo, int[] attrset, long before, boolean ownerOverride) throws NfsException {
        Stat st = IoChecks.getattr(export.fs(), inode);
        IoChecks.regularForOpen(st);
        checkExisting(ctx, export, st, access, ownerOverride);
        return new Target(new FileHandle(dirFh.exportId(), inode), st, false, truncateTo, attrset,
                new ChangeInfo(false, before, before));
    }

    /** An exclusive create found the name: the same file again when its times hold our verifier. */
    private static Target exclusiveRetry(CompoundContext ctx, Export export, FileHandle dirFh, Inode inode,
            Verifier verifier, int[] attrset, long before) throws NfsException {
        Stat st = IoChecks.getattr(export.fs(), inode);
        if (st.type() != FileType.REGULAR || !holdsVerifier(st, verifier)) {
            throw new NfsException(NfsStatus.NFS4ERR_EXIST, "exclusive create of an existing name");
        }
        int[] set = Bitmap.set(Bitmap.set(attrset, FATTR4_TIME_ACCESS_SET), FATTR4_TIME_MODIFY_SET);
        long after = IoChecks.getattr(export.fs(), dirFh.inode()).change();
        return new Target(new FileHandle(dirFh.exportId(), inode), st, true, -1, Bitmap.trim(set),
                new ChangeInfo(false, before, after));
    }

    /**
     * OPEN of an existing file checks the mode bits as open(2) on a local file system would, with
     * knfsd's one exception for OPEN (do_open_permission): READ access is granted on execute
     * permission too (NFSD_MAY_READ_IF_EXEC). The owner gets no override here, unlike I/O
     * on an open file: a file its owner made 0444 is not opened for write; except for
     * CLAIM_DELEGATE_CUR and CLAIM_DELEG_CUR_FH ({@code ownerOverride}), opens the client made
     * locally under its delegation long ago, which knfsd lets through for the owner.
     */
    private static void checkExisting(CompoundContext ctx, Export export, Stat st, int access,
            boolean ownerOverride) throws NfsException {
        Identity who = ctx.identity();
        if ((access & ShareAccess.ACCESS_WRITE) != 0) {
            if (ctx.accessTo(export).readOnly()) {
                throw new NfsException(NfsStatus.NFS4ERR_ROFS, "OPEN for write on a read-only export");
            }
            if (!(ownerOverride ? IoChecks.mayWriteOrOwner(st, who) : Access.mayWrite(st, who))) {
                throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no write permission");
            }
        }
        if ((access & ShareAccess.ACCESS_READ) != 0
                && !(ownerOverride ? IoChecks.mayReadOrOwner(st, who) : IoChecks.mayReadOrExecute(st, who))) {
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no read permission");
        }
    }

    /** The named object, or null when there is none (no exception: OPEN with create expects that). */
    private static Inode lookup(VirtualFileSystem fs, Inode dir, String name) throws NfsException {
        try {
            return fs.lookupIfExists(dir, name);
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
    }

    /** Settable attributes and the mask of those the client gave. */
    private record Decoded(SetAttributes attrs, int[] mask) {}

    private static Decoded settable(Fattr4 fattr) throws NfsException {
        int[] mask = Bitmap.trim(fattr.mask());
        if (mask.length == 0) {
            return new Decoded(SetAttributes.NONE, mask);
        }
        return new Decoded(Attributes.decodeSettable(fattr), mask);
    }

    static SetAttributes withVerifier(SetAttributes sa, Verifier v) {
        ByteBuffer b = ByteBuffer.wrap(v.bytes());
        long atime = Integer.toUnsignedLong(b.getInt());
        long mtime = Integer.toUnsignedLong(b.getInt());
        return new SetAttributes(sa.mode(), sa.uid(), sa.gid(), sa.size(),
                TimeValue.of(Instant.ofEpochSecond(atime)), TimeValue.of(Instant.ofEpochSecond(mtime)));
    }

    static boolean holdsVerifier(Stat st, Verifier v) {
        ByteBuffer b = ByteBuffer.wrap(v.bytes());
        return st.atime() != null && st.mtime() != null
                && st.atime().getEpochSecond() == Integer.toUnsignedLong(b.getInt())
                && st.mtime().getEpochSecond() == Integer.toUnsignedLong(b.getInt());
    }
}

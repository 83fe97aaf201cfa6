package org.jnfsd.core.ops.v40;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.state.V40StateClients;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.delegation.DelegreturnArgs;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenDelegation;
import org.jnfsd.protocol.nfs4.io.OpenDowngradeArgs;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ReadArgs;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.io.WriteArgs;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LocktArgs;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.nfs4.lock.ReleaseLockownerArgs;
import org.jnfsd.protocol.nfs4.namespace.SetattrArgs;
import org.jnfsd.protocol.nfs4.v40.OpenConfirmArgs;
import org.jnfsd.protocol.nfs4.v40.RenewArgs;
import org.jnfsd.core.state.V40Owners;

/**
 * Who an NFSv4.0 operation acts for. 4.0 has no SEQUENCE: the client is named by the clientid in
 * the arguments (RENEW, DELEGPURGE, OPEN's and LOCK's owners, LOCKT, RELEASE_LOCKOWNER) or by the stateid it
 * carries ({@link V40StateClients}). Binding a client to the COMPOUND is what SEQUENCE does for
 * 4.1: the record must be confirmed (else NFS4ERR_STALE_CLIENTID, as for a clientid of a previous
 * server instance), live (else NFS4ERR_EXPIRED), and its lease is renewed (RFC 7530 §9.5: every
 * operation with a clientid or a stateid renews it); the COMPOUND is counted in flight until it
 * ends, so an expiry meanwhile tears the client down after it, as for 4.1.
 */
public final class V40Binding {
    private V40Binding() {}

    /** Before an operation of a minor-version-0 COMPOUND runs: binds the client its arguments name. */
    public static void before(CompoundContext ctx, Object args) throws NfsException {
        V40StateClients states = ctx.server().v40States();
        Long clientId = switch (args) {
            case RenewArgs r -> r.clientId();
            case org.jnfsd.protocol.nfs4.delegation.DelegpurgeArgs p -> p.clientId();
            case OpenArgs o -> o.owner().clientId();
            case LocktArgs l -> l.owner().clientId();
            case ReleaseLockownerArgs r -> r.owner().clientId();
            case LockArgs l -> switch (l.locker()) {
                case Locker.NewOwner n -> n.lockOwner().clientId();
                case Locker.ExistingOwner e -> clientOf(states, e.lockStateId());
            };
            case CloseArgs c -> clientOf(states, c.openStateId());
            case OpenConfirmArgs c -> clientOf(states, c.openStateId());
            case OpenDowngradeArgs d -> clientOf(states, d.openStateId());
            case LockuArgs u -> clientOf(states, u.lockStateId());
            case DelegreturnArgs d -> clientOf(states, d.stateId());
            case ReadArgs r -> clientOf(states, r.stateId());
            case WriteArgs w -> clientOf(states, w.stateId());
            case SetattrArgs s -> clientOf(states, s.stateId());
            default -> null;
        };
        if (clientId != null && !(ctx.clientBound() && ctx.clientId() == clientId)) {
            bind(ctx, clientId);
        }
    }

    private static Long clientOf(V40StateClients states, StateId s) {
        return s.isSpecial() ? null : states.clientOf(s);
    }

    private static void bind(CompoundContext ctx, long clientId) throws NfsException {
        ServerContext server = ctx.server();
        ClientRecord c = server.sessions().client(clientId);
        if (!c.isV40() || c.state() == ClientRecord.State.UNCONFIRMED) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE_CLIENTID, c + " is not a confirmed NFSv4.0 client");
        }
        if (!server.sessions().beginCompound(c)) {
            throw new NfsException(NfsStatus.NFS4ERR_EXPIRED, c + " has expired");
        }
        server.v40Connections().bound(ctx.connection(), clientId);
        ctx.bindClient(clientId, c, () -> {
            if (server.sessions().endCompound(c)) {
                // the last compound of a client that expired meanwhile: only started, on the teardown executor
                server.teardown().start(c);
            }
        });
    }

    /** After an operation of a minor-version-0 COMPOUND: indexes the stateids it handed out or ended. */
    public static void after(CompoundContext ctx, Object args, OpResult result) {
        if (!result.status().isOk() || !ctx.clientBound()) {
            return;
        }
        V40StateClients states = ctx.server().v40States();
        long client = ctx.clientId();
        switch (result) {
            case OpenResult o when args instanceof OpenArgs a -> {
                states.issued(client, o.stateId(), V40Owners.Key.of(client, V40Owners.Kind.OPEN, a.owner().owner()));
                switch (o.delegation()) {
                    case OpenDelegation.Read r -> states.issued(client, r.stateId(), null);
                    case OpenDelegation.Write w -> states.issued(client, w.stateId(), null);
                    default -> { }
                }
            }
            case StateIdResult s when args instanceof LockArgs l -> {
                if (l.locker() instanceof Locker.NewOwner n) {
                    V40Owners.Key lockOwner = V40Owners.Key.of(client, V40Owners.Kind.LOCK, n.lockOwner().owner());
                    states.issued(client, s.stateId(), lockOwner);
                    startLockOwner(ctx, lockOwner, n.lockSeqid(), result);
                }
            }
            case StateIdResult s when args instanceof CloseArgs c -> {
                V40Owners.Key owner = states.ownerOf(c.openStateId());
                if (owner != null) {
                    states.closed(c.openStateId(), owner);
                }
            }
            default -> {
                if (args instanceof DelegreturnArgs d) {
                    states.ended(d.stateId());
                }
            }
        }
    }

    /**
     * A LOCK with a new lock-owner ran in its open-owner's sequence; the lock-owner's own sequence
     * starts at its lock_seqid, with this reply as its last. An owner already sequenced (a client
     * naming a known lock-owner as new) keeps its sequence.
     */
    private static void startLockOwner(CompoundContext ctx, V40Owners.Key lockOwner, int lockSeqid, OpResult result) {
        V40Owners owners = ctx.server().v40Owners();
        if (owners.isKnown(lockOwner)) {
            return;
        }
        try {
            owners.begin(lockOwner, lockSeqid).finish(result.status(), V40Sequencing.encode(result), null);
        } catch (NfsException e) {
            // cannot happen for an unknown owner; keep the sequence the owner has
            throw new IllegalStateException(e);
        }
    }
}

package org.jnfsd.core.ops.v40;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.state.V40Owners;
import org.jnfsd.core.state.V40StateClients;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenDowngradeArgs;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.nfs4.v40.OpenConfirmArgs;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * Which owner's sequence an NFSv4.0 operation runs in (RFC 7530 §9.1.7): OPEN by its open-owner;
 * OPEN_CONFIRM, OPEN_DOWNGRADE and CLOSE by the open-owner of their stateid; LOCK for a new
 * lock-owner by the open-owner of its open stateid (open_seqid), for an existing one by that
 * lock-owner (lock_seqid); LOCKU by the lock-owner of its stateid. A stateid of no known owner is
 * not sequenced (the operation then fails on the stateid). See {@link V40Owners} for the rules.
 */
public final class V40Sequencing {
    private V40Sequencing() {}

    /** The turn of the operation's owner, or null when the operation is not sequenced. */
    public static V40Owners.Turn begin(CompoundContext ctx, Object args) throws NfsException {
        V40StateClients states = ctx.server().v40States();
        V40Owners.Key key;
        int seqid;
        switch (args) {
            case OpenArgs o -> {
                key = V40Owners.Key.of(o.owner().clientId(), V40Owners.Kind.OPEN, o.owner().owner());
                seqid = o.seqid();
            }
            case OpenConfirmArgs c -> {
                key = states.ownerOf(c.openStateId());
                seqid = c.seqid();
            }
            case OpenDowngradeArgs d -> {
                key = states.ownerOf(d.openStateId());
                seqid = d.seqid();
            }
            case CloseArgs c -> {
                key = states.ownerOf(c.openStateId());
                seqid = c.seqid();
            }
            case LockArgs l -> {
                switch (l.locker()) {
                    case Locker.NewOwner n -> {
                        key = states.ownerOf(n.openStateId());
                        seqid = n.openSeqid();
                    }
                    case Locker.ExistingOwner e -> {
                        key = states.ownerOf(e.lockStateId());
                        seqid = e.lockSeqid();
                    }
                }
            }
            case LockuArgs u -> {
                key = states.ownerOf(u.lockStateId());
                seqid = u.seqid();
            }
            default -> {
                return null;
            }
        }
        return key == null ? null : ctx.server().v40Owners().begin(key, seqid);
    }

    /** The result as it goes on the wire after the opcode, for the owner's replay cache. */
    public static byte[] encode(OpResult result) {
        ByteBuf b = Unpooled.buffer(64);
        try {
            result.encode(new XdrEncoder(b));
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    /** A replayed result: the bytes of the first reply, written verbatim. */
    public record Replayed(NfsStatus status, byte[] bytes) implements OpResult {
        public static Replayed of(byte[] bytes) {
            int code = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
            return new Replayed(NfsStatus.fromCode(code), bytes.clone());
        }

        @Override
        public void encode(XdrEncoder out) {
            out.buffer().writeBytes(bytes);
        }
    }
}

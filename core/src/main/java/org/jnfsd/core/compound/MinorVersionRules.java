package org.jnfsd.core.compound;

import java.util.EnumSet;
import java.util.Set;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.Opcode;

/**
 * Which operations exist in which minor version, and what an operation of another version gets.
 *
 * <ul>
 *   <li>4.0 (RFC 7530 §16): opcodes 3 to 39 (ACCESS to RELEASE_LOCKOWNER); every higher opcode,
 *       the 4.1 and 4.2 operations among them (SEQUENCE, EXCHANGE_ID, ...), is NFS4ERR_OP_ILLEGAL,
 *       since 4.0's nfs_opnum4 has no such value (RFC 7530 §15.2: "NFS4ERR_OP_ILLEGAL ... an
 *       operation code ... not defined").
 *   <li>4.1 (RFC 8881 §18): opcodes up to RECLAIM_COMPLETE; the 4.2 ones are OP_ILLEGAL, as in
 *       knfsd. The 4.0-only operations are "MUST NOT implement" (RFC 8881 §17): NFS4ERR_NOTSUPP.
 *   <li>4.2 (RFC 7862): every opcode; the 4.0-only ones NFS4ERR_NOTSUPP as in 4.1.
 * </ul>
 *
 * Stateless.
 */
final class MinorVersionRules {
    /** The operations of 4.0 that 4.1 removed (RFC 8881 §17: MNI). */
    static final Set<Opcode> V40_ONLY = EnumSet.of(Opcode.OPEN_CONFIRM, Opcode.RENEW, Opcode.SETCLIENTID,
            Opcode.SETCLIENTID_CONFIRM, Opcode.RELEASE_LOCKOWNER);

    private MinorVersionRules() {}

    /** Whether {@code op} is a value of nfs_opnum4 in minor version {@code minor}. */
    static boolean exists(Opcode op, int minor) {
        if (op == Opcode.ILLEGAL) {
            return false;
        }
        return switch (minor) {
            case 0 -> op.code() <= Opcode.RELEASE_LOCKOWNER.code();
            case 1 -> op.code() < Opcode.ALLOCATE.code();
            default -> true;
        };
    }

    /**
     * The status an operation that exists in {@code minor} gets without being looked up in the
     * dispatch table, or null when it is to be dispatched.
     */
    static NfsStatus refusal(Opcode op, int minor) {
        if (minor >= 1 && V40_ONLY.contains(op)) {
            return NfsStatus.NFS4ERR_NOTSUPP;
        }
        return null;
    }
}

package org.jnfsd.protocol.nfs4.session;

import java.util.List;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * EXCHANGE_ID4args (RFC 8881 §18.35).
 *
 * @param verifier co_verifier, 8 bytes: changes when the client restarts
 * @param ownerId co_ownerid, at most 1024 bytes
 * @param implId at most one
 */
public record ExchangeIdArgs(byte[] verifier, byte[] ownerId, int flags, StateProtectArgs stateProtect,
        List<ImplId> implId) implements OpArgs {
    public static final int VERIFIER_SIZE = 8;
    public static final int MAX_OWNER_ID = 1024;

    public static final int FLAG_SUPP_MOVED_REFER = 0x00000001;
    public static final int FLAG_SUPP_MOVED_MIGR = 0x00000002;
    public static final int FLAG_BIND_PRINC_STATEID = 0x00000100;
    public static final int FLAG_USE_NON_PNFS = 0x00010000;
    public static final int FLAG_USE_PNFS_MDS = 0x00020000;
    public static final int FLAG_USE_PNFS_DS = 0x00040000;
    public static final int FLAG_MASK_PNFS = 0x00070000;
    public static final int FLAG_UPD_CONFIRMED_REC_A = 0x40000000;
    public static final int FLAG_CONFIRMED_R = 0x80000000;
    /** The flags a client may set in its arguments. */
    public static final int FLAG_MASK_A = FLAG_SUPP_MOVED_REFER | FLAG_SUPP_MOVED_MIGR | FLAG_BIND_PRINC_STATEID
            | FLAG_MASK_PNFS | FLAG_UPD_CONFIRMED_REC_A;

    public ExchangeIdArgs {
        if (verifier.length != VERIFIER_SIZE) {
            throw new IllegalArgumentException("co_verifier must be 8 bytes");
        }
        verifier = verifier.clone();
        ownerId = ownerId.clone();
        implId = List.copyOf(implId);
    }

    @Override
    public byte[] verifier() {
        return verifier.clone();
    }

    @Override
    public byte[] ownerId() {
        return ownerId.clone();
    }

    @Override
    public Opcode opcode() {
        return Opcode.EXCHANGE_ID;
    }

    public static ExchangeIdArgs decode(XdrDecoder in) {
        byte[] verifier = in.readFixedOpaque(VERIFIER_SIZE);
        byte[] owner = in.readOpaque(MAX_OWNER_ID);
        int flags = in.readInt();
        StateProtectArgs sp = StateProtectArgs.decode(in);
        return new ExchangeIdArgs(verifier, owner, flags, sp, ImplId.decodeList(in));
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeFixedOpaque(verifier).writeOpaque(ownerId).writeInt(flags);
        stateProtect.encode(out);
        ImplId.encodeList(out, implId);
    }
}

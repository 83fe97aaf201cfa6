package org.jnfsd.protocol.nfs4.session;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** state_protect4_a: how the client wants its state protected (RFC 8881 §18.35.1). */
public sealed interface StateProtectArgs {
    int SP4_NONE = 0;
    int SP4_MACH_CRED = 1;
    int SP4_SSV = 2;
    /** Bound on the words of a state_protect_ops4 bitmap. */
    int MAX_BITMAP_WORDS = 8;
    /** Bound on the number of OIDs in an algorithm list, and on one OID's length. */
    int MAX_OIDS = 16;
    int MAX_OID_BYTES = 128;

    int how();

    void encode(XdrEncoder out);

    static StateProtectArgs decode(XdrDecoder in) {
        int how = in.readInt();
        return switch (how) {
            case SP4_NONE -> None.INSTANCE;
            case SP4_MACH_CRED -> new MachCred(in.readBitmap(MAX_BITMAP_WORDS), in.readBitmap(MAX_BITMAP_WORDS));
            case SP4_SSV -> Ssv.decodeBody(in);
            default -> throw new XdrException("state_protect_how4 " + how);
        };
    }

    /** SP4_NONE. */
    record None() implements StateProtectArgs {
        public static final None INSTANCE = new None();

        @Override
        public int how() {
            return SP4_NONE;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(SP4_NONE);
        }
    }

    /** SP4_MACH_CRED with state_protect_ops4 (must enforce, must allow). */
    record MachCred(int[] mustEnforce, int[] mustAllow) implements StateProtectArgs {
        public MachCred {
            mustEnforce = mustEnforce.clone();
            mustAllow = mustAllow.clone();
        }

        @Override
        public int how() {
            return SP4_MACH_CRED;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(SP4_MACH_CRED).writeBitmap(mustEnforce).writeBitmap(mustAllow);
        }
    }

    /** SP4_SSV (ssv_sp_parms4): decoded so that it can be refused properly; never used. */
    record Ssv(int[] mustEnforce, int[] mustAllow, List<byte[]> hashAlgs, List<byte[]> encrAlgs, int window,
            int numGssHandles) implements StateProtectArgs {
        public Ssv {
            mustEnforce = mustEnforce.clone();
            mustAllow = mustAllow.clone();
            hashAlgs = List.copyOf(hashAlgs);
            encrAlgs = List.copyOf(encrAlgs);
        }

        static Ssv decodeBody(XdrDecoder in) {
            int[] enforce = in.readBitmap(MAX_BITMAP_WORDS);
            int[] allow = in.readBitmap(MAX_BITMAP_WORDS);
            List<byte[]> hash = decodeOids(in);
            List<byte[]> encr = decodeOids(in);
            return new Ssv(enforce, allow, hash, encr, in.readInt(), in.readInt());
        }

        private static List<byte[]> decodeOids(XdrDecoder in) {
            int n = in.readArrayLength(MAX_OIDS, 4);
            List<byte[]> oids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                oids.add(in.readOpaque(MAX_OID_BYTES));
            }
            return oids;
        }

        @Override
        public int how() {
            return SP4_SSV;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(SP4_SSV).writeBitmap(mustEnforce).writeBitmap(mustAllow);
            out.writeInt(hashAlgs.size());
            hashAlgs.forEach(out::writeOpaque);
            out.writeInt(encrAlgs.size());
            encrAlgs.forEach(out::writeOpaque);
            out.writeInt(window).writeInt(numGssHandles);
        }
    }
}

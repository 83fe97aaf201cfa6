package org.jnfsd.protocol.nfs4.session;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** state_protect4_r: the protection the server granted. This server only grants SP4_NONE. */
public sealed interface StateProtectResult {
    int how();

    void encode(XdrEncoder out);

    static StateProtectResult decode(XdrDecoder in) {
        int how = in.readInt();
        return switch (how) {
            case StateProtectArgs.SP4_NONE -> None.INSTANCE;
            case StateProtectArgs.SP4_MACH_CRED -> new MachCred(
                    in.readBitmap(StateProtectArgs.MAX_BITMAP_WORDS), in.readBitmap(StateProtectArgs.MAX_BITMAP_WORDS));
            case StateProtectArgs.SP4_SSV -> Ssv.decodeBody(in);
            default -> throw new XdrException("state_protect_how4 " + how);
        };
    }

    record None() implements StateProtectResult {
        public static final None INSTANCE = new None();

        @Override
        public int how() {
            return StateProtectArgs.SP4_NONE;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(StateProtectArgs.SP4_NONE);
        }
    }

    record MachCred(int[] mustEnforce, int[] mustAllow) implements StateProtectResult {
        public MachCred {
            mustEnforce = mustEnforce.clone();
            mustAllow = mustAllow.clone();
        }

        @Override
        public int how() {
            return StateProtectArgs.SP4_MACH_CRED;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(StateProtectArgs.SP4_MACH_CRED).writeBitmap(mustEnforce).writeBitmap(mustAllow);
        }
    }

    /** ssv_prot_info4, decoded with bounded lengths (a client may meet another server that grants it). */
    record Ssv(int[] mustEnforce, int[] mustAllow, int hashAlg, int encrAlg, int ssvLen, int window,
            List<byte[]> handles) implements StateProtectResult {
        static final int MAX_HANDLES = 16;
        static final int MAX_HANDLE_BYTES = 1024;

        public Ssv {
            mustEnforce = mustEnforce.clone();
            mustAllow = mustAllow.clone();
            handles = List.copyOf(handles);
        }

        static Ssv decodeBody(XdrDecoder in) {
            int[] enforce = in.readBitmap(StateProtectArgs.MAX_BITMAP_WORDS);
            int[] allow = in.readBitmap(StateProtectArgs.MAX_BITMAP_WORDS);
            int hash = in.readInt();
            int encr = in.readInt();
            int len = in.readInt();
            int window = in.readInt();
            int n = in.readArrayLength(MAX_HANDLES, 4);
            List<byte[]> handles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                handles.add(in.readOpaque(MAX_HANDLE_BYTES));
            }
            return new Ssv(enforce, allow, hash, encr, len, window, handles);
        }

        @Override
        public int how() {
            return StateProtectArgs.SP4_SSV;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(StateProtectArgs.SP4_SSV).writeBitmap(mustEnforce).writeBitmap(mustAllow);
            out.writeInt(hashAlg).writeInt(encrAlg).writeInt(ssvLen).writeInt(window);
            out.writeInt(handles.size());
            handles.forEach(out::writeOpaque);
        }
    }
}

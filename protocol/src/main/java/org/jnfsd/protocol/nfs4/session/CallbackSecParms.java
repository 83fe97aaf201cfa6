package org.jnfsd.protocol.nfs4.session;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/** callback_sec_parms4: one security flavor the server may use on the backchannel (RFC 8881 §18.36). */
public sealed interface CallbackSecParms {
    int AUTH_NONE = 0;
    int AUTH_SYS = 1;
    int RPCSEC_GSS = 6;
    /** Bound on the list length in CREATE_SESSION and BACKCHANNEL_CTL. */
    int MAX_ENTRIES = 16;

    int flavor();

    void encode(XdrEncoder out);

    static CallbackSecParms decode(XdrDecoder in) {
        int flavor = in.readInt();
        return switch (flavor) {
            case AUTH_NONE -> None.INSTANCE;
            case AUTH_SYS -> Sys.decodeBody(in);
            case RPCSEC_GSS -> new Gss(in.readInt(), in.readOpaque(Gss.MAX_HANDLE), in.readOpaque(Gss.MAX_HANDLE));
            default -> throw new XdrException("callback security flavor " + flavor);
        };
    }

    static List<CallbackSecParms> decodeList(XdrDecoder in) {
        int n = in.readArrayLength(MAX_ENTRIES, 4);
        List<CallbackSecParms> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(decode(in));
        }
        return List.copyOf(list);
    }

    static void encodeList(XdrEncoder out, List<CallbackSecParms> list) {
        out.writeInt(list.size());
        for (CallbackSecParms p : list) {
            p.encode(out);
        }
    }

    record None() implements CallbackSecParms {
        public static final None INSTANCE = new None();

        @Override
        public int flavor() {
            return AUTH_NONE;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(AUTH_NONE);
        }
    }

    /** authsys_parms (RFC 5531 §14). */
    record Sys(int stamp, String machineName, int uid, int gid, int[] gids) implements CallbackSecParms {
        public static final int MAX_MACHINE_NAME = 255;
        public static final int MAX_GIDS = 16;

        public Sys {
            gids = gids.clone();
        }

        @Override
        public int[] gids() {
            return gids.clone();
        }

        static Sys decodeBody(XdrDecoder in) {
            int stamp = in.readInt();
            String machine = in.readAscii(MAX_MACHINE_NAME);
            int uid = in.readInt();
            int gid = in.readInt();
            int n = in.readArrayLength(MAX_GIDS, 4);
            int[] gids = new int[n];
            for (int i = 0; i < n; i++) {
                gids[i] = in.readInt();
            }
            return new Sys(stamp, machine, uid, gid, gids);
        }

        @Override
        public int flavor() {
            return AUTH_SYS;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(AUTH_SYS).writeInt(stamp).writeAscii(machineName).writeInt(uid).writeInt(gid);
            out.writeInt(gids.length);
            for (int g : gids) {
                out.writeInt(g);
            }
        }
    }

    /** gss_cb_handles4: decoded with bounded handles; this server does not use RPCSEC_GSS. */
    record Gss(int service, byte[] handleFromServer, byte[] handleFromClient) implements CallbackSecParms {
        static final int MAX_HANDLE = 1024;

        public Gss {
            handleFromServer = handleFromServer.clone();
            handleFromClient = handleFromClient.clone();
        }

        @Override
        public int flavor() {
            return RPCSEC_GSS;
        }

        @Override
        public void encode(XdrEncoder out) {
            out.writeInt(RPCSEC_GSS).writeInt(service).writeOpaque(handleFromServer).writeOpaque(handleFromClient);
        }
    }
}

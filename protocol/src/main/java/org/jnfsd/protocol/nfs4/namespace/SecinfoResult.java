package org.jnfsd.protocol.nfs4.namespace;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * SECINFO4resok (also SECINFO_NO_NAME's): the security flavors, best first. jnfsd offers only
 * AUTH_SYS and AUTH_NONE; RPCSEC_GSS entries from other servers are decoded and their details dropped.
 */
public record SecinfoResult(List<Integer> flavors) implements OpResult {
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SYS = 1;
    static final int RPCSEC_GSS = 6;
    private static final int MAX_FLAVORS = 64;
    private static final int MAX_OID = 1024;

    public SecinfoResult {
        flavors = List.copyOf(flavors);
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        out.writeInt(flavors.size());
        for (int f : flavors) {
            out.writeInt(f);
        }
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        if (!s.isOk()) {
            return StatusResult.of(s);
        }
        int n = in.readArrayLength(MAX_FLAVORS, 4);
        List<Integer> flavors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int flavor = in.readInt();
            if (flavor == RPCSEC_GSS) {
                in.readOpaque(MAX_OID); // oid
                in.readInt(); // qop
                in.readInt(); // service
            }
            flavors.add(flavor);
        }
        return new SecinfoResult(flavors);
    }
}
